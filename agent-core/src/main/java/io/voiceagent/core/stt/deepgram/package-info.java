/**
 * Hosted streaming speech recognition over Deepgram's live transcription WebSocket protocol
 * ({@link io.voiceagent.core.stt.deepgram.DeepgramStt}).
 */
package io.voiceagent.core.stt.deepgram;
