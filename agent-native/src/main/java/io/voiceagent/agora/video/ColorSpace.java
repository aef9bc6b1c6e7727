package io.voiceagent.agora.video;

import java.util.Set;

/**
 * The colour space of a sent frame: indices of ITU-T H.273 colour primaries, transfer
 * characteristics and matrix coefficients, and the WebM "Range" element (reference §3.2, §6.3). It
 * tells the encoder how to turn RGBA into YUV, which is what makes a solid-colour background of a
 * digital human come out as that exact colour after decoding (Agora Python SDK 2.2.0's reason for
 * adding it). Immutable.
 *
 * @param primariesId H.273 colour primaries: 0 (unset), 1 BT.709, 2 unspecified, 4-12, 22
 * @param transferId H.273 transfer characteristics: 0, 1 BT.709, 2 unspecified, 4-18 (13 sRGB)
 * @param matrixId H.273 matrix coefficients: 0 RGB, 1 BT.709, 2 unspecified, 4-14 (5/6 BT.601)
 * @param rangeId 0 invalid/unset, 1 limited (16-235), 2 full (0-255), 3 derived
 */
public record ColorSpace(int primariesId, int transferId, int matrixId, int rangeId) {

    // Before the constants: they are checked against these when the class initializes.
    private static final Set<Integer> PRIMARIES = Set.of(0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 22);
    private static final Set<Integer> TRANSFERS = Set.of(0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
            18);
    private static final Set<Integer> MATRICES = Set.of(0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14);

    /** What both Agora wrappers send by default (all zero); the SDK picks its own conversion. */
    public static final ColorSpace DEFAULT = new ColorSpace(0, 0, 0, 0);
    /** BT.709, full range: the "pure background colour" values of the Go SDK v2.2.5 RGBA example. */
    public static final ColorSpace BT709_FULL = new ColorSpace(1, 1, 1, 2);
    /** BT.709, limited (TV) range. */
    public static final ColorSpace BT709_LIMITED = new ColorSpace(1, 1, 1, 1);
    /** BT.601 (SMPTE 170M), limited range: what most decoders assume when nothing is signalled. */
    public static final ColorSpace BT601_LIMITED = new ColorSpace(6, 6, 6, 1);

    /** Checks every index against the H.273 / WebM tables. */
    public ColorSpace {
        check("primariesId", primariesId, PRIMARIES.contains(primariesId));
        check("transferId", transferId, TRANSFERS.contains(transferId));
        check("matrixId", matrixId, MATRICES.contains(matrixId));
        check("rangeId", rangeId, rangeId >= 0 && rangeId <= 3);
    }

    private static void check(String name, int value, boolean ok) {
        if (!ok) {
            throw new IllegalArgumentException(name + " " + value + " is not an H.273 / WebM index of the reference"
                    + " (§6.3)");
        }
    }

    /** Whether samples use the full 0-255 range (range 2). */
    public boolean isFullRange() {
        return rangeId == 2;
    }

    /**
     * The luma coefficients (Kr, Kb) of the matrix, as the loopback library's encoder front end uses them:
     * BT.709 for matrix 1, BT.2020 for 9 and 10, SMPTE 240M for 7, BT.601 otherwise.
     */
    public double[] lumaCoefficients() {
        return switch (matrixId) {
            case 1 -> new double[] {0.2126, 0.0722};
            case 9, 10 -> new double[] {0.2627, 0.0593};
            case 7 -> new double[] {0.212, 0.087};
            default -> new double[] {0.299, 0.114};
        };
    }
}
