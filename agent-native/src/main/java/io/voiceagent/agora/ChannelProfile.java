package io.voiceagent.agora;

/** Agora's CHANNEL_PROFILE. Agents use {@link #LIVE_BROADCASTING}, the SDK default. */
public enum ChannelProfile {
    COMMUNICATION(0),
    LIVE_BROADCASTING(1);

    private final int value;

    ChannelProfile(int value) {
        this.value = value;
    }

    /** The C value. */
    public int value() {
        return value;
    }
}
