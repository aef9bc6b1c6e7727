package io.voiceagent.agora.video;

/** Where the alpha plane is stitched relative to the picture ({@code alpha_mode}, reference §6.1). */
public enum AlphaMode {
    /** A normal frame. */
    NONE(0),
    ABOVE(1),
    BELOW(2),
    LEFT(3),
    RIGHT(4);

    private final int value;

    AlphaMode(int value) {
        this.value = value;
    }

    /** The C value. */
    public int value() {
        return value;
    }

    /** The mode of a C value, {@link #NONE} for an unknown one. */
    public static AlphaMode fromValue(int value) {
        for (AlphaMode m : values()) {
            if (m.value == value) {
                return m;
            }
        }
        return NONE;
    }
}
