package io.voiceagent.core.vad;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Debug dump of one VAD stream (test environments only; off unless a detector is given one). In a
 * new sub-directory of the root named by local time {@code yyyyMMddHHmmss} (with {@code -2},
 * {@code -3}... if taken) it writes:
 * <ul>
 *   <li>{@code source.pcm}: every input frame, in the input format;</li>
 *   <li>{@code vad_<n>.pcm}: the audio of segment n (START bytes, SPEAKING frames, STOP frame);</li>
 *   <li>{@code label.txt}: one line per frame, {@code ct:<segment> fct:<frame> state:<0-3>
 *       vop:<probability 0-100> rms:<dBFS>} (Agora's label format with our units);</li>
 *   <li>{@code frames.csv}: {@code frame,t_ms,p,rms_dbfs,state,active} and, as a comment line,
 *       the thresholds in effect.</li>
 * </ul>
 * Not thread-safe: used by its detector under the detector's lock. I/O errors become
 * {@link UncheckedIOException}s. {@link #close()} is idempotent.
 */
public final class VadDump implements AutoCloseable {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final Path dir;
    private final OutputStream source;
    private final Writer labels;
    private final Writer csv;
    private OutputStream segment;
    private int segments;
    private boolean headerWritten;
    private boolean closed;

    /**
     * Creates {@code root} if needed and a new timestamped directory in it.
     *
     * @throws UncheckedIOException if the directory or files cannot be created
     */
    public VadDump(Path root) {
        try {
            Files.createDirectories(root);
            String stamp = LocalDateTime.now().format(STAMP);
            Path d = root.resolve(stamp);
            for (int i = 2; Files.exists(d); i++) {
                d = root.resolve(stamp + "-" + i);
            }
            dir = Files.createDirectory(d);
            source = new BufferedOutputStream(Files.newOutputStream(dir.resolve("source.pcm")));
            labels = Files.newBufferedWriter(dir.resolve("label.txt"), StandardCharsets.UTF_8);
            csv = Files.newBufferedWriter(dir.resolve("frames.csv"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create VAD dump in " + root, e);
        }
    }

    /** The timestamped directory the files are written to. */
    public Path directory() {
        return dir;
    }

    /** Segment files created so far. */
    public int segmentCount() {
        return segments;
    }

    /**
     * Records one frame.
     *
     * @param result the detector's result for the frame
     * @param frame the frame's input bytes
     */
    public void write(VadResult result, byte[] frame, VadV2Config config) {
        if (closed) {
            return;
        }
        try {
            if (!headerWritten) {
                csv.write("# " + config + "\n");
                csv.write("frame,t_ms,p,rms_dbfs,state,active\n");
                headerWritten = true;
            }
            source.write(frame);
            switch (result.state()) {
                case START_SPEAKING -> {
                    closeSegment();
                    segment = new BufferedOutputStream(Files.newOutputStream(
                            dir.resolve("vad_" + segments + ".pcm")));
                    segments++;
                    segment.write(result.audio());
                }
                case SPEAKING -> {
                    if (segment != null) {
                        segment.write(result.audio());
                    }
                }
                case STOP_SPEAKING -> {
                    if (segment != null) {
                        segment.write(result.audio());
                    }
                    closeSegment();
                }
                case NONE -> {
                }
            }
            labels.write(String.format(Locale.ROOT, "ct:%d fct:%d state:%d vop:%d rms:%.1f%n",
                    segments, result.frameIndex(), result.state().code(), result.voiceProb(), result.rmsDbfs()));
            csv.write(String.format(Locale.ROOT, "%d,%d,%.3f,%.2f,%s,%d%n", result.frameIndex(),
                    result.frameStartMs(), result.voiceProb() / 100.0, result.rmsDbfs(), result.state(),
                    result.active() ? 1 : 0));
        } catch (IOException e) {
            throw new UncheckedIOException("VAD dump write failed in " + dir, e);
        }
    }

    private void closeSegment() throws IOException {
        if (segment != null) {
            segment.close();
            segment = null;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (source; labels; csv) {
            closeSegment();
        } catch (IOException e) {
            throw new UncheckedIOException("VAD dump close failed in " + dir, e);
        }
    }
}
