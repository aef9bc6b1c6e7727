package io.voiceagent.core.duet;

/** The two agents of a {@link Duet}: A speaks first, then B answers, and so on. */
public enum DuetRole {
    /** The agent that opens the conversation. */
    A,
    /** The agent that answers A. */
    B;

    /** The other agent. */
    public DuetRole other() {
        return this == A ? B : A;
    }

    /**
     * The role named {@code name} ({@code "A"} or {@code "B"}, case-insensitive).
     *
     * @throws IllegalArgumentException naming the value if it is neither
     */
    public static DuetRole parse(String name) {
        if (name != null) {
            String n = name.strip();
            if (n.equalsIgnoreCase("A")) {
                return A;
            }
            if (n.equalsIgnoreCase("B")) {
                return B;
            }
        }
        throw new IllegalArgumentException("agent must be A or B; got " + (name == null ? "null" : "'" + name + "'"));
    }
}
