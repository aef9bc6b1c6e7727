/**
 * Real-time pacing of synthesized audio into an RTC sender.
 *
 * <p>{@link io.voiceagent.core.pacing.AudioPacer} is the one thread (per process or connection
 * pool) that drives every {@link io.voiceagent.core.pacing.AudioConsumer}; each consumer buffers
 * one stream's PCM and hands it in 10 ms frames to a {@link io.voiceagent.core.pacing.PcmSink}
 * (implemented by {@code agent-native}'s PCM sender) on absolute deadlines a small lead ahead
 * of play-out.
 */
package io.voiceagent.core.pacing;
