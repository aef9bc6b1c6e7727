package io.voiceagent.examples.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceagent.core.audio.PcmAudio;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.vad.SileroModel;
import io.voiceagent.core.vad.SileroVad;
import io.voiceagent.core.vad.VadDetector;
import io.voiceagent.core.vad.VadResult;
import io.voiceagent.core.vad.VadState;
import io.voiceagent.core.vad.VadV2Config;
import io.voiceagent.core.vad.VadV2StateMachine;
import io.voiceagent.core.vad.VoiceProbabilityModel;
import io.voiceagent.examples.BadInputException;
import io.voiceagent.examples.Resources;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How well the VAD's frames and segments line up with labelled speech, deterministically (no wall
 * clock): for the arrival-time mapping the detector used before (each frame took the last Silero
 * window completed when it arrived), for the other ways a frame straddling two windows could be
 * scored, and for the detector itself at look-ahead 0, 1 and 2. One JSON line per variant, then a
 * summary line.
 *
 * <p>Input: each labelled fixture ({@code NAME.pcm} + {@code NAME.labels}, 16 kHz mono) is run
 * {@code --shifts} times, delayed by {@code k * 2560 / shifts} samples (the first samples of the
 * clip, its leading non-speech, are repeated in front), so its onsets fall on every phase of the
 * 160 ms period over which 10 ms frames and 32 ms windows realign; the labels move with it.
 * {@code --noise-dbfs} adds seeded white noise at that RMS level to every clip (labels unchanged).
 *
 * <p>How a variant is run: the detector variants ({@code lookahead_N}) are a {@link VadDetector}
 * in direct mode fed 10 ms at a time; a result's <em>decision time</em> is the input fed when it was
 * delivered. The other variants replay the same Silero window probabilities (in percent, as the
 * look-ahead-0 run reported them: there every frame carries its own window's) and the detector's
 * per-frame RMS through a {@link VadV2StateMachine} with the same configuration, with the decision
 * time of their rule. The replay of {@code own_later} is checked
 * to reproduce {@code lookahead_0} exactly ({@code replay_matches_detector}).
 *
 * <p>Figures (all times in ms of audio; a frame is speech if its midpoint lies in a label):
 * <ul>
 *   <li>{@code frame_precision_at_recall_0.90/0.95}: sweeping the threshold over the per-frame
 *       probability (percent), the precision at the highest threshold whose recall reaches the
 *       target.</li>
 *   <li>{@code probability_lag}: {@code onset} = start of the first frame with probability &gt;=
 *       startVoiceProb from 300 ms before a label's start, minus the label's start; {@code offset} =
 *       end of the last such frame up to 600 ms after the label's end, minus the label's end; mean
 *       over labels.</li>
 *   <li>{@code segments}: detected segments ({@code start_ms} = {@link VadResult#speechStartMs()},
 *       {@code end_ms} = {@link VadResult#speechEndMs()}) matched one-to-one to labels by largest
 *       overlap; precision = matched / detected, recall = matched / labels; start and end errors of
 *       the matched pairs (detected minus label).</li>
 *   <li>{@code start_decision_latency}: from a label's start to the decision time of the START of
 *       the first segment overlapping it; {@code stop_decision_latency}: from a label's end to the
 *       decision time of the STOP of the last segment overlapping it.</li>
 * </ul>
 */
@Command(name = "vad-accuracy", mixinStandardHelpOptions = true,
        description = {"VAD accuracy against labelled fixtures: probability lag, frame precision at recall,",
            "segment precision/recall, start/stop decision latency; for the old arrival-time mapping and",
            "look-ahead 0, 1, 2. Deterministic; one JSON line per variant, then a summary line."})
public final class VadAccuracyCommand implements Callable<Integer> {
    private static final int FRAME = 160;
    private static final int PERIOD = 2560; // 16 frames = 5 windows
    private static final List<String> DEFAULT_FIXTURES = List.of("test_data/espeak_gaps_16k_1ch",
            "test_data/real_gaps_16k_1ch");

    @Spec
    CommandSpec spec;

    @Option(names = "--fixture", description = "Labelled fixture without extension (NAME.pcm + NAME.labels), "
            + "repeatable (default: test_data/espeak_gaps_16k_1ch and test_data/real_gaps_16k_1ch).")
    List<String> fixtures = new ArrayList<>();

    @Option(names = "--shifts", defaultValue = "20", description = "Phases per fixture over the 160 ms "
            + "frame/window period (default ${DEFAULT-VALUE}).")
    int shifts;

    @Option(names = "--noise-dbfs", description = "Add seeded white noise at this RMS level (dBFS) to every clip.")
    Double noiseDbfs;

    @Option(names = "--model", defaultValue = "v6.2", description = "Silero model: v6.2 or v5 (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--config", description = "VAD parameter as key=value, repeatable; lookaheadWindows is set per variant.")
    List<String> config = new ArrayList<>();

    /** A way to turn window probabilities into frame probabilities and decision times. */
    private enum Variant {
        ARRIVAL_TIME("arrival_time", -1),
        OWN_FIRST("own_first", -1),
        OWN_MAJORITY("own_majority", -1),
        OWN_LATER("own_later", -1),
        LOOKAHEAD_0("lookahead_0", 0),
        LOOKAHEAD_1("lookahead_1", 1),
        LOOKAHEAD_2("lookahead_2", 2);

        final String label;
        final int lookahead; // -1: a replay, not the detector

        Variant(String label, int lookahead) {
            this.label = label;
            this.lookahead = lookahead;
        }
    }

    private static final Map<Variant, String> DESCRIPTIONS = Map.of(
            Variant.ARRIVAL_TIME, "before: each frame takes the last window completed when it arrives",
            Variant.OWN_FIRST, "replay: the window holding the frame's first sample",
            Variant.OWN_MAJORITY, "replay: the window holding most of the frame's samples",
            Variant.OWN_LATER, "replay: the window holding the frame's last sample (the detector's rule)",
            Variant.LOOKAHEAD_0, "detector, lookaheadWindows=0",
            Variant.LOOKAHEAD_1, "detector, lookaheadWindows=1",
            Variant.LOOKAHEAD_2, "detector, lookaheadWindows=2");

    @Override
    public Integer call() throws Exception {
        if (shifts < 1 || shifts > PERIOD) {
            throw new BadInputException("--shifts", shifts, "must be in [1, " + PERIOD + "]");
        }
        PrintWriter out = spec.commandLine().getOut();
        VadV2Config base = VadV2Config.DEFAULT;
        for (String kv : config) {
            VadV2Config current = base;
            base = BadInputException.parse("--config", kv, () -> current.with(kv));
        }
        SileroVad silero = SileroVad.shared(BadInputException.parse("--model", model, () -> SileroModel.parse(model)));
        List<String> names = fixtures.isEmpty() ? DEFAULT_FIXTURES : fixtures;
        Map<Variant, Score> scores = new LinkedHashMap<>();
        for (Variant v : Variant.values()) {
            scores.put(v, new Score(base.startVoiceProb()));
        }
        boolean replayMatches = true;
        int clips = 0;
        int labels = 0;
        for (int c = 0; c < names.size(); c++) {
            Path pcm = Resources.find("--fixture", Path.of(names.get(c) + ".pcm"));
            List<long[]> lab = readLabels(Resources.find("--fixture", Path.of(names.get(c) + ".labels")));
            byte[] clip = PcmAudio.read(pcm, PcmFormat.MONO_16K).data();
            for (int k = 0; k < shifts; k++) {
                int delay = k * (PERIOD / shifts);
                byte[] audio = delayed(clip, delay);
                if (noiseDbfs != null) {
                    addNoise(audio, noiseDbfs, 1000L * c + k);
                }
                double[][] spans = new double[lab.size()][];
                for (int i = 0; i < lab.size(); i++) {
                    spans[i] = new double[] {lab.get(i)[0] + delay / 16.0, lab.get(i)[1] + delay / 16.0};
                }
                clips++;
                labels += spans.length;
                Map<Variant, Run> runs = new LinkedHashMap<>();
                for (Variant v : Variant.values()) {
                    if (v.lookahead >= 0) {
                        VadV2Config cfg = base.toBuilder().lookaheadWindows(v.lookahead).build();
                        runs.put(v, runDetector(audio, cfg, silero));
                    }
                }
                Run own = runs.get(Variant.LOOKAHEAD_0);
                int[] windows = windowPercents(own, silero.windowSamples());
                for (Variant v : List.of(Variant.ARRIVAL_TIME, Variant.OWN_FIRST, Variant.OWN_MAJORITY,
                        Variant.OWN_LATER)) {
                    runs.put(v, replay(v, windows, own, base, silero.windowSamples()));
                }
                replayMatches &= sameDecisions(runs.get(Variant.OWN_LATER), own);
                for (Map.Entry<Variant, Run> e : runs.entrySet()) {
                    scores.get(e.getKey()).add(e.getValue(), spans);
                }
            }
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode summary = json.createObjectNode();
        summary.put("bench", "vad-accuracy");
        summary.put("summary", true);
        summary.putPOJO("fixtures", names);
        summary.put("shifts", shifts);
        if (noiseDbfs != null) {
            summary.put("noise_dbfs", noiseDbfs);
        }
        summary.put("clips", clips);
        summary.put("labels", labels);
        summary.put("model", SileroModel.parse(model).name());
        summary.put("config", base.toString());
        summary.put("replay_matches_detector", replayMatches);
        ObjectNode lag = summary.putObject("probability_lag_ms");
        ObjectNode p90 = summary.putObject("frame_precision_at_recall_0.90");
        for (Map.Entry<Variant, Score> e : scores.entrySet()) {
            ObjectNode line = e.getValue().toJson(json);
            ObjectNode head = json.createObjectNode();
            head.put("bench", "vad-accuracy");
            head.put("variant", e.getKey().label);
            head.put("what", DESCRIPTIONS.get(e.getKey()));
            head.setAll(line);
            out.println(json.writeValueAsString(head));
            lag.set(e.getKey().label, line.get("probability_lag_ms"));
            p90.set(e.getKey().label, line.get("frame_precision_at_recall_0.90"));
        }
        out.println(json.writeValueAsString(summary));
        out.flush();
        return replayMatches ? 0 : 1;
    }

    /** Per-frame outcome of one variant on one clip. */
    private record Run(int[] prob, double[] rms, List<VadResult> results, long[] decidedMs) {
    }

    /** Feeds 10 ms at a time; the decision time of a result is the input fed when it arrived. */
    private static Run runDetector(byte[] audio, VadV2Config cfg, VoiceProbabilityModel m) {
        List<VadResult> results = new ArrayList<>();
        int frames = audio.length / (2 * FRAME);
        long[] decided = new long[frames];
        try (VadDetector d = VadDetector.builder(PcmFormat.MONO_16K).config(cfg).model(m).listener(results::add)
                .build()) {
            for (int f = 0; f < frames; f++) {
                int before = results.size();
                d.process(audio, 2 * FRAME * f, 2 * FRAME);
                Arrays.fill(decided, before, results.size(), 10L * (f + 1));
            }
            int before = results.size();
            d.flush();
            Arrays.fill(decided, before, results.size(), 10L * frames);
        }
        int[] prob = new int[frames];
        double[] rms = new double[frames];
        for (int f = 0; f < frames; f++) {
            prob[f] = results.get(f).voiceProb();
            rms[f] = results.get(f).rmsDbfs();
        }
        return new Run(prob, rms, results, decided);
    }

    /**
     * Each complete window's probability in percent, from a look-ahead-0 run: every frame there
     * carries the probability of the window holding its last sample, and each window holds the last
     * sample of at least 3 frames.
     */
    private static int[] windowPercents(Run own, int window) {
        int frames = own.prob.length;
        int[] pct = new int[(int) ((long) FRAME * frames / window)];
        for (int f = 0; f < frames; f++) {
            long w = ((long) FRAME * f + FRAME - 1) / window;
            if (w < pct.length) {
                pct[(int) w] = own.prob[f];
            }
        }
        return pct;
    }

    /** The state machine over another rule's frame probabilities; RMS as the detector measured it. */
    private static Run replay(Variant v, int[] windows, Run own, VadV2Config cfg, int window) {
        int frames = own.prob.length;
        VadV2StateMachine machine = new VadV2StateMachine(cfg);
        int[] prob = new int[frames];
        long[] decided = new long[frames];
        List<VadResult> results = new ArrayList<>(frames);
        long latest = 0;
        byte[] none = new byte[0];
        for (int f = 0; f < frames; f++) {
            long first = (long) FRAME * f;
            long w = switch (v) {
                case ARRIVAL_TIME -> (first + FRAME) / window - 1;
                case OWN_FIRST -> first / window;
                case OWN_MAJORITY -> (first + FRAME / 2) / window;
                default -> (first + FRAME - 1) / window;
            };
            // A window past the end of the clip (the tail a flush decides) reads the last one.
            long read = Math.min(w, windows.length - 1);
            prob[f] = read < 0 ? 0 : windows[(int) read];
            long ready = v == Variant.ARRIVAL_TIME ? 10L * (f + 1)
                    : Math.min(10L * frames, 10 * (((w + 1) * window - 1) / FRAME + 1));
            latest = Math.max(latest, Math.max(ready, 10L * (f + 1))); // frames are decided in order
            decided[f] = latest;
            results.add(machine.step(none, prob[f], own.rms[f]));
        }
        return new Run(prob, own.rms, results, decided);
    }

    private static boolean sameDecisions(Run a, Run b) {
        if (!Arrays.equals(a.prob, b.prob) || !Arrays.equals(a.decidedMs, b.decidedMs)) {
            return false;
        }
        for (int i = 0; i < a.results.size(); i++) {
            VadResult x = a.results.get(i);
            VadResult y = b.results.get(i);
            if (x.state() != y.state() || x.speechStartMs() != y.speechStartMs() || x.speechEndMs() != y.speechEndMs()) {
                return false;
            }
        }
        return true;
    }

    /** Accumulates one variant's figures over all clips. */
    private static final class Score {
        private final int threshold;
        private final long[] speechAt = new long[101]; // frames labelled speech, by probability
        private final long[] otherAt = new long[101];
        private final Stats.Samples onsetLagUs = new Stats.Samples();
        private final Stats.Samples offsetLagUs = new Stats.Samples();
        private final Stats.Samples startErrUs = new Stats.Samples();
        private final Stats.Samples endErrUs = new Stats.Samples();
        private final Stats.Samples startAbsErrUs = new Stats.Samples();
        private final Stats.Samples startDecisionUs = new Stats.Samples();
        private final Stats.Samples stopDecisionUs = new Stats.Samples();
        private long detected;
        private long labelled;
        private long matched;
        private long startsWithinOneWindow;

        Score(int threshold) {
            this.threshold = threshold;
        }

        void add(Run run, double[][] spans) {
            int frames = run.prob.length;
            for (int f = 0; f < frames; f++) {
                double mid = 10.0 * f + 5;
                boolean speech = false;
                for (double[] s : spans) {
                    speech |= mid >= s[0] && mid < s[1];
                }
                (speech ? speechAt : otherAt)[run.prob[f]]++;
            }
            for (int i = 0; i < spans.length; i++) {
                double from = spans[i][0] - 300;
                double to = i + 1 < spans.length ? Math.min(spans[i][1] + 600, spans[i + 1][0] - 300) : spans[i][1] + 600;
                int firstOn = -1;
                int lastOn = -1;
                for (int f = Math.max(0, (int) Math.ceil(from / 10)); f < frames && 10.0 * f + 10 <= to; f++) {
                    if (run.prob[f] >= threshold) {
                        if (firstOn < 0 && 10.0 * f < spans[i][1]) {
                            firstOn = f;
                        }
                        lastOn = f;
                    }
                }
                if (firstOn >= 0) {
                    onsetLagUs.add(us(10.0 * firstOn - spans[i][0]));
                    offsetLagUs.add(us(10.0 * lastOn + 10 - spans[i][1]));
                }
            }
            List<long[]> segs = new ArrayList<>(); // start, end, start decision, stop decision (-1: open)
            long start = -1;
            long startDecided = -1;
            for (VadResult r : run.results) {
                if (r.state() == VadState.START_SPEAKING) {
                    start = r.speechStartMs();
                    startDecided = run.decidedMs[(int) r.frameIndex()];
                } else if (r.state() == VadState.STOP_SPEAKING) {
                    segs.add(new long[] {start, r.speechEndMs(), startDecided, run.decidedMs[(int) r.frameIndex()]});
                    start = -1;
                }
            }
            if (start >= 0) {
                segs.add(new long[] {start, 10L * frames, startDecided, -1});
            }
            detected += segs.size();
            labelled += spans.length;
            for (double[] s : spans) {
                int best = -1;
                double bestOverlap = 0;
                int firstHit = -1;
                int lastHit = -1;
                for (int j = 0; j < segs.size(); j++) {
                    double o = Math.min(segs.get(j)[1], s[1]) - Math.max(segs.get(j)[0], s[0]);
                    if (o > 0) {
                        firstHit = firstHit < 0 ? j : firstHit;
                        lastHit = j;
                        if (o > bestOverlap) {
                            bestOverlap = o;
                            best = j;
                        }
                    }
                }
                if (best < 0) {
                    continue;
                }
                matched++;
                double err = segs.get(best)[0] - s[0];
                startErrUs.add(us(err));
                startAbsErrUs.add(us(Math.abs(err)));
                endErrUs.add(us(segs.get(best)[1] - s[1]));
                if (Math.abs(err) <= 32) {
                    startsWithinOneWindow++;
                }
                startDecisionUs.add(us(segs.get(firstHit)[2] - s[0]));
                if (segs.get(lastHit)[3] >= 0) {
                    stopDecisionUs.add(us(segs.get(lastHit)[3] - s[1]));
                }
            }
        }

        ObjectNode toJson(ObjectMapper json) {
            ObjectNode o = json.createObjectNode();
            o.put("frame_precision_at_recall_0.90", Stats.round(precisionAtRecall(0.90), 4));
            o.put("frame_precision_at_recall_0.95", Stats.round(precisionAtRecall(0.95), 4));
            ObjectNode lag = o.putObject("probability_lag_ms");
            lag.put("onset", ms(onsetLagUs.mean()));
            lag.put("offset", ms(offsetLagUs.mean()));
            ObjectNode seg = o.putObject("segments");
            seg.put("detected", detected);
            seg.put("labels", labelled);
            seg.put("matched", matched);
            seg.put("precision", Stats.round(detected == 0 ? 0 : (double) matched / detected, 4));
            seg.put("recall", Stats.round(labelled == 0 ? 0 : (double) matched / labelled, 4));
            seg.set("start_error_ms", summary(json, startErrUs));
            seg.put("start_abs_error_ms_mean", ms(startAbsErrUs.mean()));
            seg.put("starts_within_32_ms", Stats.round(matched == 0 ? 0 : (double) startsWithinOneWindow / matched, 4));
            seg.set("end_error_ms", summary(json, endErrUs));
            o.set("start_decision_latency_ms", summary(json, startDecisionUs));
            o.set("stop_decision_latency_ms", summary(json, stopDecisionUs));
            return o;
        }

        /** Precision at the highest threshold (percent) whose recall reaches {@code target}. */
        private double precisionAtRecall(double target) {
            long positives = Arrays.stream(speechAt).sum();
            long tp = 0;
            long fp = 0;
            for (int t = 100; t >= 0; t--) {
                tp += speechAt[t];
                fp += otherAt[t];
                if (tp >= target * positives) {
                    return (double) tp / (tp + fp);
                }
            }
            return 0;
        }

        private static ObjectNode summary(ObjectMapper json, Stats.Samples s) {
            ObjectNode o = json.createObjectNode();
            o.put("mean", ms(s.mean()));
            o.put("p50", ms(s.percentile(50)));
            o.put("p90", ms(s.percentile(90)));
            return o;
        }

        private static long us(double ms) {
            return Math.round(ms * 1000);
        }

        private static double ms(double us) {
            return Stats.round(us / 1000, 1);
        }
    }

    private static List<long[]> readLabels(Path file) throws java.io.IOException {
        List<long[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                String[] f = line.trim().split("\\s+");
                out.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])});
            }
        }
        return out;
    }

    /** The clip delayed by {@code samples}: its own first samples repeated in front. */
    private static byte[] delayed(byte[] clip, int samples) {
        byte[] out = new byte[clip.length + 2 * samples];
        System.arraycopy(clip, 0, out, 0, 2 * samples);
        System.arraycopy(clip, 0, out, 2 * samples, clip.length);
        return out;
    }

    private static void addNoise(byte[] pcm, double dbfs, long seed) {
        Random rnd = new Random(seed);
        double amp = Math.pow(10, dbfs / 20) * 32768;
        for (int i = 0; i + 1 < pcm.length; i += 2) {
            int s = (short) ((pcm[i] & 0xff) | (pcm[i + 1] << 8));
            int v = (int) Math.max(-32768, Math.min(32767, Math.round(s + rnd.nextGaussian() * amp)));
            pcm[i] = (byte) v;
            pcm[i + 1] = (byte) (v >> 8);
        }
    }
}
