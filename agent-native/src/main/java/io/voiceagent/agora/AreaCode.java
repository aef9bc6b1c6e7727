package io.voiceagent.agora;

import java.util.EnumSet;
import java.util.Set;

/** Agora's AREA_CODE regions; a service may be limited to several ({@link #mask(Set)}). */
public enum AreaCode {
    CHINA(0x1),
    NORTH_AMERICA(0x2),
    EUROPE(0x4),
    ASIA(0x8),
    JAPAN(0x10),
    INDIA(0x20);

    /** The C value meaning "everywhere" (GLOB, {@code 0xFFFFFFFF}). */
    public static final int GLOBAL_MASK = 0xFFFFFFFF;

    private final int bit;

    AreaCode(int bit) {
        this.bit = bit;
    }

    /** The bit of this region in the C mask. */
    public int bit() {
        return bit;
    }

    /** The C mask for a set of regions; {@link #GLOBAL_MASK} for the empty set or all regions. */
    public static int mask(Set<AreaCode> areas) {
        if (areas.isEmpty() || areas.equals(EnumSet.allOf(AreaCode.class))) {
            return GLOBAL_MASK;
        }
        int m = 0;
        for (AreaCode a : areas) {
            m |= a.bit;
        }
        return m;
    }
}
