package io.voiceagent.core.vad;

/**
 * Paired speech events of one stream, built from {@link VadResult}s by {@link #asVadListener()}:
 * one {@link #speechStarted} per START, one {@link #speechEnded} with the whole segment's audio per
 * STOP. Methods have no-op defaults; they are called on the detector's result thread (see
 * {@link VadListener}), must be fast and must not throw.
 */
public interface SpeechSegmentListener {
    /**
     * Speech started.
     *
     * @param start the START result: its audio is the pre-roll and the start window; its
     *     {@link VadResult#speechStartMs()} is the first voiced frame on the input's time axis
     */
    default void speechStarted(VadResult start) {
    }

    /** Audio of one SPEAKING frame (for streaming speech recognition). */
    default void speechContinued(VadResult frame) {
    }

    /**
     * Speech ended.
     *
     * @param audio every byte of the segment in the detector's input format: the START audio, all
     *     SPEAKING frames and the STOP frame
     * @param speechStartMs first voiced frame, ms on the input's time axis
     * @param speechEndMs end of the last voiced frame before the stop, ms on the input's time axis
     */
    default void speechEnded(byte[] audio, long speechStartMs, long speechEndMs) {
    }

    /**
     * A listener that assembles segments and calls this one. It keeps the open segment's audio
     * (bounded by the segment's length); one instance per detector, not thread-safe.
     */
    default VadListener asVadListener() {
        SpeechSegmentListener target = this;
        return new VadListener() {
            private final java.io.ByteArrayOutputStream segment = new java.io.ByteArrayOutputStream();
            private long startMs = -1;

            @Override
            public void onResult(VadResult r) {
                switch (r.state()) {
                    case START_SPEAKING -> {
                        segment.reset();
                        segment.writeBytes(r.audio());
                        startMs = r.speechStartMs();
                        target.speechStarted(r);
                    }
                    case SPEAKING -> {
                        segment.writeBytes(r.audio());
                        target.speechContinued(r);
                    }
                    case STOP_SPEAKING -> {
                        segment.writeBytes(r.audio());
                        byte[] audio = segment.toByteArray();
                        segment.reset();
                        target.speechEnded(audio, startMs, r.speechEndMs());
                    }
                    case NONE -> {
                    }
                }
            }
        };
    }
}
