package io.voiceagent.examples.bench;

import io.voiceagent.examples.BadInputException;
import io.voiceagent.examples.Resources;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceagent.core.audio.PcmAudio;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.vad.SileroModel;
import io.voiceagent.core.vad.SileroVad;
import io.voiceagent.core.vad.VadBatcher;
import io.voiceagent.core.vad.VadDetector;
import io.voiceagent.core.vad.VadState;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Real-time VAD load test: N streams of recorded speech with pauses, each fed one 10 ms frame every
 * 10 ms (wall clock) by a few feeder threads that stand in for connection executors. Prints one
 * final JSON line.
 *
 * <p>Definitions: a frame's latency runs from the scheduled real-time arrival of the audio that makes
 * its result decidable ({@link VadDetector#decisionTimeMs}: the frame that completes the model
 * window covering it, up to 32 ms of audio later than the frame itself) to the delivery of its VAD
 * result, so it measures the processing, not the alignment wait; a frame is <em>dropped</em> if its result came more than {@code --deadline-ms} late
 * or never came. {@code us_per_frame.mean} is process CPU time per stream-frame (all threads, JVM
 * included); {@code us_per_frame.p99} is the p99 latency in microseconds. {@code realtime_factor}
 * is process CPU seconds per second of audio per stream (below 1 / N-streams-share keeps up;
 * 0.01 = 1 % of a core per stream).
 */
@Command(name = "vad", mixinStandardHelpOptions = true,
        description = "Benchmark: N concurrent real-time 16 kHz VAD streams; prints a JSON line.")
public final class VadBenchCommand implements Callable<Integer> {
    /** Recorded speech with pauses, relative to the project root. */
    private static final Path DEFAULT_INPUT = Path.of("test_data", "real_gaps_16k_1ch.pcm");

    @Spec
    CommandSpec spec;

    @Option(names = "--streams", defaultValue = "300", description = "Concurrent streams (default ${DEFAULT-VALUE}).")
    int streams;

    @Option(names = "--seconds", defaultValue = "20", description = "Seconds of real time to run (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--mode", defaultValue = "batched", description = "batched (shared VadBatcher) or direct (inference on the feeder thread).")
    String mode;

    @Option(names = "--batch-threads", defaultValue = "2", description = "Batcher worker threads (default ${DEFAULT-VALUE}).")
    int batchThreads;

    @Option(names = "--max-batch", defaultValue = "128", description = "Largest batch (default ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--linger-ms", defaultValue = "2", description = "Batch fill wait in ms (default ${DEFAULT-VALUE}).")
    int lingerMs;

    @Option(names = "--feeders", defaultValue = "2", description = "Feeder threads (default ${DEFAULT-VALUE}).")
    int feeders;

    @Option(names = "--energy-gating", description = "Skip inference on quiet windows (8-window hangover).")
    boolean energyGating;

    @Option(names = "--model", defaultValue = "v6.2", description = "v6.2 or v5.")
    String model;

    @Option(names = "--deadline-ms", defaultValue = "200", description = "Latency beyond which a frame counts as dropped.")
    int deadlineMs;

    @Option(names = "--input", description = "16 kHz mono PCM16 speech with pauses, looped (default test_data/real_gaps_16k_1ch.pcm).")
    Path input;

    private static final int BUCKET_US = 50;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path in = Resources.find("--input", input != null ? input : DEFAULT_INPUT);
        boolean batched = mode.equals("batched");
        if (!batched && !mode.equals("direct")) {
            throw new BadInputException("--mode", mode, "must be batched or direct");
        }
        SileroModel silero = BadInputException.parse("--model", model, () -> SileroModel.parse(model));
        byte[] audio = PcmAudio.read(in, PcmFormat.MONO_16K).data();
        audio = java.util.Arrays.copyOf(audio, audio.length - audio.length % 320);
        SileroVad vad = SileroVad.shared(silero);
        VadBatcher batcher = batched ? new VadBatcher(vad, batchThreads, maxBatch, Duration.ofMillis(lingerMs)) : null;

        int buckets = deadlineMs * 1000 / BUCKET_US;
        long[][] hist = new long[streams][buckets + 1];
        long[] delivered = new long[streams];
        long[] segmentsPerStream = new long[streams];
        AtomicLong startNanos = new AtomicLong(Long.MAX_VALUE);

        System.gc();
        long heapBefore = usedHeap();
        List<VadDetector> detectors = new ArrayList<>(streams);
        for (int s = 0; s < streams; s++) {
            final int sid = s;
            VadDetector.Builder b = VadDetector.builder(PcmFormat.MONO_16K).energyGating(energyGating)
                    .listener(r -> {
                        // Frame k is fed at t0 + k * 10 ms; the result can exist once the frame ending
                        // at decisionTimeMs has been fed.
                        long decidable = detectors.get(sid).decisionTimeMs(r.frameIndex()) / 10 - 1;
                        long arrival = startNanos.get() + decidable * 10_000_000L;
                        long latUs = Math.max(0, (System.nanoTime() - arrival) / 1000);
                        int bkt = (int) Math.min(buckets, latUs / BUCKET_US);
                        hist[sid][bkt]++;
                        delivered[sid]++;
                        if (r.state() == VadState.START_SPEAKING) {
                            segmentsPerStream[sid]++;
                        }
                    });
            if (batched) {
                b.batcher(batcher);
            } else {
                b.model(vad);
            }
            detectors.add(b.build());
        }
        // Warm up the model (JIT, ORT arena) outside the measured run.
        warmUp(vad, audio);

        int ticks = seconds * 100;
        final byte[] data = audio;
        long cpu0 = Stats.processCpuNanos();
        long t0 = System.nanoTime() + 50_000_000L;
        startNanos.set(t0);
        List<Thread> threads = new ArrayList<>();
        long[] maxLagNs = new long[feeders];
        for (int f = 0; f < feeders; f++) {
            final int fid = f;
            Thread t = new Thread(() -> {
                byte[] frame = new byte[320];
                for (int tick = 0; tick < ticks; tick++) {
                    long due = t0 + tick * 10_000_000L;
                    long now;
                    while ((now = System.nanoTime()) < due) {
                        LockSupport.parkNanos(due - now);
                    }
                    maxLagNs[fid] = Math.max(maxLagNs[fid], now - due);
                    for (int s = fid; s < streams; s += feeders) {
                        int off = (int) (((long) s * 4801 * 2 / 320 * 320 + (long) tick * 320) % data.length);
                        System.arraycopy(data, off, frame, 0, 320);
                        detectors.get(s).process(frame, 0, 320);
                    }
                }
            }, "vad-feeder-" + f);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long endFeed = System.nanoTime();
        detectors.forEach(VadDetector::flush); // the last frames of the run wait for no further window
        // Let the last windows drain (they are due within the deadline).
        Thread.sleep(deadlineMs);
        long cpu1 = Stats.processCpuNanos();
        long wall = System.nanoTime() - t0;

        System.gc();
        long heapWith = usedHeap();
        long heapPerStream = Math.max(0, (heapWith - heapBefore) / streams);

        long totalFrames = (long) streams * ticks;
        long late = 0;
        long decided = 0;
        long[] merged = new long[buckets + 1];
        for (int s = 0; s < streams; s++) {
            for (int i = 0; i <= buckets; i++) {
                merged[i] += hist[s][i];
            }
            decided += delivered[s];
            late += hist[s][buckets];
        }
        long dropped = late + (totalFrames - decided);
        double meanLatUs = 0;
        for (int i = 0; i < buckets; i++) {
            meanLatUs += merged[i] * (i + 0.5) * BUCKET_US;
        }
        meanLatUs /= Math.max(1, decided - late);
        long p99 = percentile(merged, decided, 0.99);
        long p50 = percentile(merged, decided, 0.50);
        double cpuSec = (cpu1 - cpu0) / 1e9;
        double audioSecPerStream = ticks / 100.0;

        ObjectMapper json = new ObjectMapper();
        ObjectNode o = json.createObjectNode();
        o.put("streams", streams);
        o.put("seconds", seconds);
        o.put("mode", mode);
        o.put("model", SileroModel.parse(model).name());
        o.put("energy_gating", energyGating);
        o.put("realtime_factor", Stats.round(cpuSec / (audioSecPerStream * streams), 5));
        o.put("cpu_cores_used", Stats.round(cpuSec / (wall / 1e9), 3));
        ObjectNode us = o.putObject("us_per_frame");
        us.put("mean", Stats.round(cpuSec * 1e6 / totalFrames, 2));
        us.put("p99", p99);
        us.put("latency_mean", Stats.round(meanLatUs, 1));
        us.put("latency_p50", p50);
        o.put("heap_bytes_per_stream", heapPerStream);
        o.put("dropped_frames", dropped);
        o.put("frames", totalFrames);
        o.put("max_feeder_lag_ms", Stats.round(java.util.Arrays.stream(maxLagNs).max().orElse(0) / 1e6, 2));
        o.put("segments_started", java.util.Arrays.stream(segmentsPerStream).sum());
        if (batcher != null) {
            o.put("batches", batcher.batchCount());
            o.put("mean_batch", Stats.round((double) batcher.scoredWindows() / Math.max(1, batcher.batchCount()), 1));
            o.put("inference_us_per_window", Stats.round(batcher.inferenceNanos() / 1e3 / Math.max(1, batcher.scoredWindows()), 1));
            o.put("windows_scored", batcher.scoredWindows());
        }
        o.put("feed_ms", (endFeed - t0) / 1_000_000);
        for (VadDetector d : detectors) {
            d.close();
        }
        if (batcher != null) {
            batcher.close();
        }
        out.println(json.writeValueAsString(o));
        out.flush();
        return dropped == 0 ? 0 : 1;
    }

    private static void warmUp(SileroVad vad, byte[] audio) {
        try (VadDetector d = VadDetector.builder(PcmFormat.MONO_16K).model(vad).build()) {
            d.process(audio, 0, Math.min(audio.length, 16000 * 2 * 3));
        }
        float[][] in = new float[64][576];
        float[][] st = new float[64][256];
        float[] p = new float[64];
        for (int i = 0; i < 20; i++) {
            vad.score(64, in, st, p);
        }
    }

    private static long percentile(long[] hist, long total, double q) {
        long target = (long) Math.ceil(total * q);
        long acc = 0;
        for (int i = 0; i < hist.length; i++) {
            acc += hist[i];
            if (acc >= target) {
                return (long) (i + 1) * BUCKET_US;
            }
        }
        return (long) hist.length * BUCKET_US;
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
