/**
 * Conversation rounds: {@link io.voiceagent.core.turn.RoundManager} opens a
 * {@link io.voiceagent.core.turn.Round} per user turn and interrupts it on barge-in
 * (voice or ASR activation), cancelling everything the round owns and gating its audio so that no
 * byte of an interrupted round reaches the channel afterwards;
 * {@link io.voiceagent.core.turn.TextSegmenter} cuts streaming LLM text into TTS-sized pieces.
 */
package io.voiceagent.core.turn;
