package io.voiceagent.agora;

/**
 * The Agora native library (the real SDK or the embedded loopback library) could not be loaded.
 * The message says what was tried and how to fix it; the cause is the original linkage error.
 * Every later use in the same process fails with this same exception.
 */
public final class AgoraNativeUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public AgoraNativeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
