package io.voiceagent.core.vad;

import io.voiceagent.core.audio.PcmAudio;
import io.voiceagent.core.audio.PcmFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Fixtures and helpers shared by the VAD tests. */
final class VadTestSupport {
    private VadTestSupport() {
    }

    /** A detected or labelled speech segment, ms on the input's time axis. */
    record Segment(long startMs, long endMs, long stopFrameEndMs) {
    }

    /** The project root: the nearest ancestor of the working directory holding test_data/. */
    static Path projectRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("test_data/hello_16k_1ch.pcm"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("test_data/ not found above " + Path.of("").toAbsolutePath()
                    + "; run scripts/gen-test-data.sh");
        }
        return p;
    }

    static PcmAudio fixture(String name) throws IOException {
        return PcmAudio.read(projectRoot().resolve("test_data").resolve(name), PcmFormat.MONO_16K);
    }

    static List<long[]> labels(String name) throws IOException {
        List<long[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(projectRoot().resolve("test_data").resolve(name))) {
            if (!line.isBlank()) {
                String[] f = line.trim().split("\\s+");
                out.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])});
            }
        }
        return out;
    }

    /** Runs a direct-mode detector over the whole clip, fed in one call, then flushed. */
    static List<VadResult> run(PcmAudio audio, VadV2Config config) {
        List<VadResult> results = new ArrayList<>();
        try (VadDetector d = VadDetector.builder(audio.format()).config(config).listener(results::add).build()) {
            d.process(audio.data());
            d.flush();
        }
        return results;
    }

    static List<Segment> segments(List<VadResult> results) {
        List<Segment> out = new ArrayList<>();
        long start = -1;
        for (VadResult r : results) {
            if (r.state() == VadState.START_SPEAKING) {
                start = r.speechStartMs();
            } else if (r.state() == VadState.STOP_SPEAKING) {
                out.add(new Segment(start, r.speechEndMs(), r.frameStartMs() + 10));
                start = -1;
            }
        }
        if (start >= 0) {
            out.add(new Segment(start, -1, -1));
        }
        return out;
    }

    /** Mono 16 kHz PCM16 of white noise with the given RMS level, seeded. */
    static byte[] whiteNoise(double dbfs, int millis, long seed) {
        Random rnd = new Random(seed);
        int n = millis * 16;
        double rms = Math.pow(10, dbfs / 20) * 32768;
        byte[] out = new byte[2 * n];
        for (int i = 0; i < n; i++) {
            int s = (int) Math.round(rnd.nextGaussian() * rms);
            s = Math.max(-32768, Math.min(32767, s));
            out[2 * i] = (byte) s;
            out[2 * i + 1] = (byte) (s >> 8);
        }
        return out;
    }

    /** Mono PCM16 sine at the given rate, frequency and peak level. */
    static byte[] tone(int rateHz, double hz, double peakDbfs, int millis) {
        int n = millis * rateHz / 1000;
        double amp = Math.pow(10, peakDbfs / 20) * 32767;
        byte[] out = new byte[2 * n];
        for (int i = 0; i < n; i++) {
            int s = (int) Math.round(amp * Math.sin(2 * Math.PI * hz * i / rateHz));
            out[2 * i] = (byte) s;
            out[2 * i + 1] = (byte) (s >> 8);
        }
        return out;
    }
}
