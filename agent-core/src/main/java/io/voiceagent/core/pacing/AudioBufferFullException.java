package io.voiceagent.core.pacing;

/**
 * Thrown by {@link AudioConsumer#push(byte[])} when the push would make the audio waiting in the
 * consumer exceed its {@link AudioConsumerConfig#bufferLimit() buffer limit}. Nothing of the
 * rejected push was buffered; the audio already buffered is untouched. The producer should wait
 * (e.g. until {@link AudioConsumer#pendingBytes()} falls) or push smaller pieces.
 */
public final class AudioBufferFullException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final long limitBytes;
    private final long pendingBytes;
    private final long pushBytes;

    AudioBufferFullException(String message, long limitBytes, long pendingBytes, long pushBytes) {
        super(message);
        this.limitBytes = limitBytes;
        this.pendingBytes = pendingBytes;
        this.pushBytes = pushBytes;
    }

    /** The consumer's buffer limit in bytes. */
    public long limitBytes() {
        return limitBytes;
    }

    /** Bytes that were waiting in the consumer when the push was rejected. */
    public long pendingBytes() {
        return pendingBytes;
    }

    /** Length of the rejected push in bytes. */
    public long pushBytes() {
        return pushBytes;
    }
}
