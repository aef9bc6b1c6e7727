package io.voiceagent.core.audio;

import java.util.Objects;

/**
 * One 10 ms frame of PCM16 audio owned by Java: the bytes are a private copy, never borrowed
 * native memory, so a frame may be kept and handed across threads freely.
 *
 * <p>Immutable: {@link #data()} returns the internal array for zero-copy reads; callers must not
 * modify it. Use {@link #copyData()} when a mutable copy is needed.
 */
public final class AudioFrame {
    private final PcmFormat format;
    private final byte[] data;
    private final long timestampMillis;

    /**
     * @param format the PCM format of {@code data}
     * @param data exactly one 10 ms frame in {@code format}; the array is taken over, not copied
     * @param timestampMillis the frame's timestamp in milliseconds (the SDK's render time for
     *     received audio; 0 when unknown)
     * @throws IllegalArgumentException if {@code data} is not one 10 ms frame long
     */
    public AudioFrame(PcmFormat format, byte[] data, long timestampMillis) {
        this.format = Objects.requireNonNull(format, "format");
        this.data = Objects.requireNonNull(data, "data");
        if (data.length != format.bytesPerFrame()) {
            throw new IllegalArgumentException("data must be one 10 ms frame of " + format + " ("
                    + format.bytesPerFrame() + " bytes); got " + data.length + " bytes");
        }
        this.timestampMillis = timestampMillis;
    }

    public PcmFormat format() {
        return format;
    }

    /** The PCM bytes (little-endian, interleaved). Do not modify. */
    public byte[] data() {
        return data;
    }

    /** A fresh copy of the PCM bytes. */
    public byte[] copyData() {
        return data.clone();
    }

    public long timestampMillis() {
        return timestampMillis;
    }

    /** Samples per channel in this frame. */
    public int samplesPerChannel() {
        return format.samplesPerChannelPerFrame();
    }

    @Override
    public String toString() {
        return "AudioFrame[" + format + ", " + data.length + " bytes, t=" + timestampMillis + " ms]";
    }
}
