package io.voiceagent.agora;

/** Agora's CLIENT_ROLE. An agent that talks must be a {@link #BROADCASTER}. */
public enum ClientRole {
    BROADCASTER(1),
    AUDIENCE(2);

    private final int value;

    ClientRole(int value) {
        this.value = value;
    }

    /** The C value. */
    public int value() {
        return value;
    }
}
