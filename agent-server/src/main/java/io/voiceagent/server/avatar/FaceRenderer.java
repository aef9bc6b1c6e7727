package io.voiceagent.server.avatar;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Draws a simple face on a solid-colour background with Java2D: a head, two eyes that blink every
 * few seconds and a mouth whose opening follows a level from 0 (closed) to 1 (wide open). Renders
 * into {@code TYPE_INT_ARGB} (Java2D's fast path) and hands out the pixels as BGRA bytes (an ARGB
 * int is B, G, R, A in little-endian memory) in a reusable direct buffer, which a video track sends
 * without another copy.
 *
 * <p>Not thread-safe: one renderer per worker, used by its clock only. The returned buffer is
 * overwritten by the next {@link #render}.
 */
public final class FaceRenderer {
    private final int width;
    private final int height;
    private final Color background;
    private final BufferedImage image;
    private final int[] pixels;
    private final ByteBuffer bgra;
    private final Graphics2D g;
    private final double scale;

    /**
     * @param backgroundRgb the solid background colour, 0xRRGGBB
     */
    public FaceRenderer(int width, int height, int backgroundRgb) {
        if (width < 64 || height < 64 || (width & 1) != 0 || (height & 1) != 0) {
            throw new IllegalArgumentException("the face needs an even size of at least 64 x 64; got " + width + " x "
                    + height);
        }
        this.width = width;
        this.height = height;
        this.background = new Color(backgroundRgb);
        this.image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        this.pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        this.bgra = ByteBuffer.allocateDirect(width * height * 4).order(ByteOrder.LITTLE_ENDIAN);
        this.g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        this.scale = Math.min(width / 640.0, height / 480.0);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /**
     * Renders frame number {@code frame} with the mouth {@code mouthOpen} open (0..1) and returns its
     * BGRA pixels, tightly packed, position 0.
     */
    public ByteBuffer render(double mouthOpen, long frame) {
        double open = Math.max(0, Math.min(1, mouthOpen));
        g.setColor(background);
        g.fillRect(0, 0, width, height);
        double cx = width / 2.0;
        double cy = height / 2.0;
        // head
        g.setColor(new Color(0xF1C27D));
        g.fill(new Ellipse2D.Double(cx - 150 * scale, cy - 190 * scale, 300 * scale, 380 * scale));
        // eyes: closed for 4 frames (160 ms at 25 fps) every 100 frames
        boolean blink = frame % 100 < 4;
        for (int side = -1; side <= 1; side += 2) {
            double ex = cx + side * 62 * scale;
            double ey = cy - 55 * scale;
            if (blink) {
                g.setColor(new Color(0x5A3A22));
                g.setStroke(new BasicStroke((float) (4 * scale)));
                g.drawLine((int) (ex - 26 * scale), (int) ey, (int) (ex + 26 * scale), (int) ey);
            } else {
                g.setColor(Color.WHITE);
                g.fill(new Ellipse2D.Double(ex - 28 * scale, ey - 18 * scale, 56 * scale, 36 * scale));
                g.setColor(new Color(0x3B2A1A));
                g.fill(new Ellipse2D.Double(ex - 11 * scale, ey - 11 * scale, 22 * scale, 22 * scale));
            }
        }
        // mouth: its height follows the level, its width narrows a little as it opens
        double mw = (110 - 20 * open) * scale;
        double mh = (6 + 64 * open) * scale;
        g.setColor(new Color(0x7A1F2B));
        g.fill(new Ellipse2D.Double(cx - mw / 2, cy + 95 * scale - mh / 2, mw, mh));
        bgra.clear();
        bgra.asIntBuffer().put(pixels);
        bgra.position(0).limit(width * height * 4);
        return bgra;
    }

    /** The mouth's bounding box {x, y, width, height} at full opening (for checks on received frames). */
    public int[] mouthRegion() {
        double cx = width / 2.0;
        double cy = height / 2.0;
        return new int[] {(int) (cx - 55 * scale), (int) (cy + 95 * scale - 35 * scale), (int) (110 * scale),
                (int) (70 * scale)};
    }

    /** Loudness to mouth opening: -45 dBFS RMS and below closed, -15 dBFS and above wide open. */
    public static double mouthFor(double rms) {
        if (rms <= 0) {
            return 0;
        }
        double db = 20 * Math.log10(rms);
        return Math.max(0, Math.min(1, (db + 45) / 30));
    }
}
