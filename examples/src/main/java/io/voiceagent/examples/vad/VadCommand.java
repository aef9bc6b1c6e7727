package io.voiceagent.examples.vad;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceagent.examples.BadInputException;
import io.voiceagent.core.audio.PcmAudio;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.vad.SileroModel;
import io.voiceagent.core.vad.SileroVad;
import io.voiceagent.core.vad.VadDetector;
import io.voiceagent.core.vad.VadDump;
import io.voiceagent.core.vad.VadResult;
import io.voiceagent.core.vad.VadState;
import io.voiceagent.core.vad.VadV2Config;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs voice activity detection over a file and prints one JSON line per detected segment,
 * {@code {"start_ms":...,"end_ms":...}} on the input's time axis, then a summary line. With
 * {@code --frames}, one line per 10 ms frame first: {@code t_ms} (the frame's start in the input),
 * {@code prob} (the probability of the model window covering that frame), {@code decided_ms} (the
 * input time from which a live stream could have decided it), RMS and state.
 */
@Command(name = "vad", mixinStandardHelpOptions = true,
        description = {"Detect speech segments in a PCM16 (.pcm raw or .wav) file with Silero + VAD V2.",
            "Prints one JSON line per segment {\"start_ms\",\"end_ms\"} and a final summary line."})
public final class VadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, description = "Input .pcm (raw s16le) or .wav file.")
    Path input;

    @Option(names = "--sample-rate", defaultValue = "16000", description = "Sample rate of a raw .pcm input in Hz (default ${DEFAULT-VALUE}).")
    int sampleRate;

    @Option(names = "--channels", defaultValue = "1", description = "Channels of a raw .pcm input (default ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--config", description = "VAD parameter as key=value, repeatable (e.g. stopRecognizeCount=65).")
    List<String> config = new ArrayList<>();

    @Option(names = "--model", defaultValue = "v6.2", description = "Silero model: v6.2 or v5 (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--dump", description = "Write a VadDump (source, segments, labels) under this directory.")
    Path dump;

    @Option(names = "--frames", description = "Also print one JSON line per 10 ms frame (audio time): probability, decision time, RMS, state.")
    boolean frames;

    @Option(names = "--plot", description = "Draw the waveform with the segments into this PNG file.")
    Path plot;

    @Override
    public Integer call() throws Exception {
        System.setProperty("java.awt.headless", "true");
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper json = new ObjectMapper();
        BadInputException.readableFile("--input", input);
        boolean wav = input.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".wav");
        PcmFormat rawFormat = wav ? null : BadInputException.pcmFormat(sampleRate, channels);
        VadV2Config cfg = VadV2Config.DEFAULT;
        for (String kv : config) {
            VadV2Config current = cfg;
            cfg = BadInputException.parse("--config", kv, () -> current.with(kv));
        }
        SileroModel silero = BadInputException.parse("--model", model, () -> SileroModel.parse(model));
        PcmAudio audio = PcmAudio.read(input, rawFormat);
        List<VadResult> results = new ArrayList<>();
        VadDetector.Builder b = VadDetector.builder(audio.format()).config(cfg)
                .model(SileroVad.shared(silero)).listener(results::add);
        VadDump d = dump == null ? null : new VadDump(dump);
        if (d != null) {
            b.dump(d);
        }
        long openEnd;
        VadDetector detector;
        long t0 = System.nanoTime();
        try (VadDetector det = b.build()) {
            detector = det;
            det.process(audio.data());
            det.flush();
            openEnd = det.openSegmentEndMs();
        }
        long elapsedNs = System.nanoTime() - t0;

        List<long[]> segments = new ArrayList<>();
        long start = -1;
        for (VadResult r : results) {
            if (frames) {
                ObjectNode f = json.createObjectNode();
                f.put("frame", r.frameIndex());
                f.put("t_ms", r.frameStartMs());
                f.put("prob", r.voiceProb());
                f.put("decided_ms", detector.decisionTimeMs(r.frameIndex()));
                f.put("rms_dbfs", Math.round(r.rmsDbfs() * 10) / 10.0);
                f.put("state", r.state().name());
                out.println(json.writeValueAsString(f));
            }
            if (r.state() == VadState.START_SPEAKING) {
                start = r.speechStartMs();
            } else if (r.state() == VadState.STOP_SPEAKING) {
                segments.add(new long[] {start, r.speechEndMs(), 0});
                start = -1;
            }
        }
        if (start >= 0) {
            segments.add(new long[] {start, openEnd, 1}); // still speaking at the end of the input
        }
        for (long[] s : segments) {
            ObjectNode n = json.createObjectNode();
            n.put("start_ms", s[0]);
            n.put("end_ms", s[1]);
            if (s[2] == 1) {
                n.put("open_at_end", true);
            }
            out.println(json.writeValueAsString(n));
        }
        ObjectNode sum = json.createObjectNode();
        sum.put("summary", true);
        sum.put("input", input.toString());
        sum.put("format", audio.format().toString());
        sum.put("duration_ms", audio.durationMillis());
        sum.put("frames", results.size());
        sum.put("segments", segments.size());
        sum.put("speech_ms", segments.stream().mapToLong(s -> s[1] - s[0]).sum());
        sum.put("model", silero.name());
        sum.put("config", cfg.toString());
        sum.put("processing_ms", elapsedNs / 1_000_000);
        if (d != null) {
            sum.put("dump_dir", d.directory().toString());
        }
        if (plot != null) {
            plot(audio, segments, plot);
            sum.put("plot", plot.toString());
        }
        out.println(json.writeValueAsString(sum));
        out.flush();
        return 0;
    }

    /** Waveform (min/max per pixel column) with segments shaded, drawn headless. */
    static void plot(PcmAudio audio, List<long[]> segments, Path file) throws java.io.IOException {
        int w = 1600;
        int h = 300;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        long durMs = Math.max(1, audio.durationMillis());
        g.setColor(new Color(255, 215, 150));
        for (long[] s : segments) {
            int x0 = (int) (s[0] * w / durMs);
            int x1 = (int) (s[1] * w / durMs);
            g.fillRect(x0, 0, Math.max(1, x1 - x0), h);
        }
        byte[] d = audio.data();
        int ch = audio.format().channels();
        int frames = d.length / (2 * ch);
        g.setColor(new Color(40, 80, 160));
        for (int x = 0; x < w; x++) {
            int a = (int) ((long) x * frames / w);
            int bnd = (int) ((long) (x + 1) * frames / w);
            int min = 0;
            int max = 0;
            for (int i = a; i < bnd; i++) {
                int p = 2 * i * ch;
                int s = (short) ((d[p] & 0xff) | (d[p + 1] << 8));
                min = Math.min(min, s);
                max = Math.max(max, s);
            }
            g.drawLine(x, h / 2 - max * (h / 2) / 32768, x, h / 2 - min * (h / 2) / 32768);
        }
        g.setColor(new Color(200, 60, 0));
        g.setStroke(new BasicStroke(2));
        for (long[] s : segments) {
            int x0 = (int) (s[0] * w / durMs);
            int x1 = (int) (s[1] * w / durMs);
            g.drawLine(x0, 0, x0, h);
            g.drawLine(x1, 0, x1, h);
        }
        g.setColor(Color.DARK_GRAY);
        for (long t = 0; t <= durMs; t += 1000) {
            int x = (int) (t * w / durMs);
            g.drawLine(x, h - 8, x, h);
            g.drawString(t / 1000 + "s", x + 2, h - 10);
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }
}
