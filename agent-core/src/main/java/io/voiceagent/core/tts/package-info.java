/**
 * Text-to-speech: the {@link io.voiceagent.core.tts.TextToSpeech} interface and the offline
 * default {@link io.voiceagent.core.tts.EspeakNgTts} (runs the {@code espeak-ng} program). The
 * WAV reader and resampler here are private to this package on purpose: the shared ones belong in
 * {@code io.voiceagent.core.audio}.
 */
package io.voiceagent.core.tts;
