package io.voiceagent.agora;

/**
 * Agora's AUDIO_SCENARIO values. {@link #CHORUS} is the low-delay scenario the reference Python SDK
 * uses by default for agents on the pinned native build (4.4.32); {@link #AI_SERVER} and
 * {@link #AI_CLIENT} exist only in native builds from mid-2025 on (on 4.4.32, value 9 is a sentinel),
 * so selecting them with the pinned build logs a warning.
 */
public enum AudioScenario {
    DEFAULT(0),
    GAME_STREAMING(3),
    CHATROOM(5),
    CHORUS(7),
    MEETING(8),
    AI_SERVER(9),
    AI_CLIENT(10);

    private final int value;

    AudioScenario(int value) {
        this.value = value;
    }

    /** The C value. */
    public int value() {
        return value;
    }

    /** Whether the native build this SDK is pinned to (4.4.32) knows this scenario. */
    public boolean supportedByPinnedBuild() {
        return this != AI_SERVER && this != AI_CLIENT;
    }
}
