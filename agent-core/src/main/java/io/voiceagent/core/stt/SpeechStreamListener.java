package io.voiceagent.core.stt;

/**
 * Partial hypotheses of a {@link SpeechStream}, called on the recognizer's thread (a decoder worker,
 * a WebSocket's I/O thread), one at a time, in order, never after the stream was cancelled. Must be
 * quick and must not throw (post the text to your own thread).
 */
@FunctionalInterface
public interface SpeechStreamListener {

    /**
     * The recognizer's current hypothesis of the whole utterance so far (not a delta), stripped;
     * never empty. It may still change; the final transcript comes from {@link SpeechStream#finish()}.
     */
    void onPartial(String text);
}
