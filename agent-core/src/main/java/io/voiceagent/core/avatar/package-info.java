/**
 * The avatar audio protocol of seed 004: the agent streams its speech to an avatar worker that plays
 * it in the channel with a face and reports back where playback stopped. Agent side:
 * {@link io.voiceagent.core.avatar.AvatarAudioOut}, an {@code AgentOutput} over an
 * {@link io.voiceagent.core.avatar.AvatarLink} (a WebSocket: Agora's data streams are limited to about
 * 30 KB/s and 1 KB messages, while 16 kHz PCM is 32 KB/s). Worker side:
 * {@link io.voiceagent.core.avatar.AvatarAudioIn}, the queue of frames and segment ends with interrupt
 * and cooldown. Messages: {@link io.voiceagent.core.avatar.AvatarProtocol}.
 */
package io.voiceagent.core.avatar;
