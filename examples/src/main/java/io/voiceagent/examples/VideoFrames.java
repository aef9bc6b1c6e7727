package io.voiceagent.examples;

import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.video.ColorSpace;
import io.voiceagent.agora.video.ReceivedVideoFrame;
import io.voiceagent.agora.video.VideoFrameListener;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;

/**
 * {@code listen --video}: counts each remote user's frames and saves every N-th one as
 * {@code <dir>/<userId>-<frame>.png}. Frames arrive on the connection's executor; the PNG encoding
 * runs on a writer thread of its own so audio delivery is not held up.
 */
final class VideoFrames implements VideoFrameListener {
    private final Path dir;
    private final int every;
    private final ColorSpace colorSpace;
    private final PrintStream out;
    private final Runnable onFrame;
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<String, String> sizes = new ConcurrentHashMap<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "listen-png-writer");
        t.setDaemon(true);
        return t;
    });

    VideoFrames(Path dir, int every, ColorSpace colorSpace, PrintStream out, Runnable onFrame) {
        this.dir = dir;
        this.every = every;
        this.colorSpace = colorSpace;
        this.out = out;
        this.onFrame = onFrame;
    }

    @Override
    public void onFrame(RtcConnection c, ReceivedVideoFrame f) {
        onFrame.run();
        long n = counts.computeIfAbsent(f.userId(), u -> new AtomicLong()).incrementAndGet();
        sizes.put(f.userId(), f.width() + "x" + f.height());
        if ((n - 1) % every != 0) {
            return;
        }
        Path file = dir.resolve(ListenCommand.fileName(f.userId()).replace(".pcm", "") + "-" + n + ".png");
        writer.execute(() -> {
            BufferedImage img = new BufferedImage(f.width(), f.height(), BufferedImage.TYPE_INT_RGB);
            img.setRGB(0, 0, f.width(), f.height(), f.toArgb(colorSpace), 0, f.width());
            try {
                ImageIO.write(img, "png", file.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            synchronized (out) {
                out.println("video " + f.userId() + " frame " + n + " " + f.width() + "x" + f.height() + " -> "
                        + file);
            }
        });
    }

    /** Waits for the pending PNGs and prints one line per user. */
    void finish() throws InterruptedException {
        writer.shutdown();
        writer.awaitTermination(10, TimeUnit.SECONDS);
        for (Map.Entry<String, AtomicLong> e : new TreeMap<>(counts).entrySet()) {
            out.printf("received video %s %d frames %s%n", e.getKey(), e.getValue().get(), sizes.get(e.getKey()));
        }
    }
}
