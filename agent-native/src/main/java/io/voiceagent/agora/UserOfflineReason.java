package io.voiceagent.agora;

/** Agora's USER_OFFLINE_REASON: why a remote user left. */
public enum UserOfflineReason {
    QUIT,
    DROPPED,
    BECOME_AUDIENCE,
    UNKNOWN;

    /** The reason for a C value; {@link #UNKNOWN} if not named. */
    public static UserOfflineReason fromValue(int value) {
        return value >= 0 && value <= 2 ? values()[value] : UNKNOWN;
    }
}
