package io.voiceagent.testing;

import io.voiceagent.core.audio.PcmFormat;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Tells which 10 ms frame of a known answer a received frame is, by content: a barge-in test or
 * bench plays a recorded answer and needs to know, for every frame that arrives at the user, how far
 * into the answer it was (the next round's answer restarts at frame 0, so the index also separates
 * rounds). Frames whose content occurs more than once in the answer (digital silence) are ambiguous
 * and are left out: {@link #indexOf} returns -1 for them.
 */
public final class FrameIndex {
    private final Map<Long, Integer> index = new HashMap<>();
    private final int bytesPerFrame;

    /** Indexes every whole frame of {@code answer} in {@code format}. */
    public FrameIndex(byte[] answer, PcmFormat format) {
        Objects.requireNonNull(answer, "answer");
        bytesPerFrame = format.bytesPerFrame();
        Set<Long> repeated = new HashSet<>();
        for (int i = 0; (i + 1) * bytesPerFrame <= answer.length; i++) {
            long k = key(Arrays.copyOfRange(answer, i * bytesPerFrame, (i + 1) * bytesPerFrame));
            if (index.putIfAbsent(k, i) != null) {
                repeated.add(k);
            }
        }
        repeated.forEach(index::remove);
    }

    /** The frame's index in the answer, or -1 when it is not an (unambiguous) frame of it. */
    public int indexOf(byte[] frame) {
        if (frame.length != bytesPerFrame) {
            return -1;
        }
        return index.getOrDefault(key(frame), -1); // no copy: this runs on every received frame
    }

    /** How many frames of the answer can be recognised. */
    public int size() {
        return index.size();
    }

    private static long key(byte[] frame) {
        CRC32C c = new CRC32C();
        c.update(frame);
        return ((long) Arrays.hashCode(frame) << 32) ^ c.getValue();
    }
}
