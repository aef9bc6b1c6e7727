package io.voiceagent.agora;

/**
 * One speaker's entry of a volume indication.
 *
 * @param userId the remote user
 * @param volume 0 (silent) to 255 (loudest)
 * @param voiceActive whether the SDK's voice-activity flag was set (only reported when enabled)
 * @param voicePitch the detected pitch in Hz, 0 if unknown
 */
public record AudioVolumeInfo(String userId, int volume, boolean voiceActive, double voicePitch) {}
