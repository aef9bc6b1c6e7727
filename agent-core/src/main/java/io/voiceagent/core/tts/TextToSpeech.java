package io.voiceagent.core.tts;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.http.StreamCall;

/**
 * A text-to-speech engine. Implementations are thread-safe and may run several syntheses at once;
 * {@link EspeakNgTts} is the offline default.
 */
public interface TextToSpeech {

    /**
     * Starts synthesizing {@code text} as PCM16 in {@code format}; returns at once. Cancel the call
     * (for example through {@code round.own(call::cancel)}) to stop the engine.
     *
     * @param listener receives the audio in order, then completion or the failure
     */
    StreamCall synthesize(String text, PcmFormat format, TtsListener listener);
}
