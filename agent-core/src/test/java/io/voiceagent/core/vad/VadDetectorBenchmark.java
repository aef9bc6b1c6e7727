package io.voiceagent.core.vad;

import io.voiceagent.core.audio.PcmFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * JMH: one VAD stream in direct mode, one 10 ms frame of recorded speech per operation (so 5 of
 * every 16 operations run a Silero window), and for comparison one batched model call of 128
 * windows. Not run by the build; see BENCHMARKS.md for the command.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class VadDetectorBenchmark {
    private byte[] audio;
    private int pos;
    private VadDetector detector;
    private long sink;
    private final float[][] inputs = new float[128][576];
    private final float[][] states = new float[128][256];
    private final float[] probs = new float[128];

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        byte[] a = VadTestSupport.fixture("real_gaps_16k_1ch.pcm").data();
        audio = java.util.Arrays.copyOf(a, a.length - a.length % 320);
        detector = VadDetector.builder(PcmFormat.MONO_16K).model(SileroVad.shared())
                .listener(r -> sink += r.voiceProb()).build();
        for (int i = 0; i < 128; i++) {
            for (int j = 0; j < 576; j++) {
                inputs[i][j] = audio[(i * 4801 + j) * 2 % audio.length] / 128f;
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        detector.close();
    }

    /** One stream, one 10 ms frame (average over the 16-frame cycle of 5 windows). */
    @Benchmark
    public void oneStreamFrame() {
        detector.process(audio, pos, 320);
        pos += 320;
        if (pos >= audio.length) {
            pos = 0;
        }
    }

    /** One batched model call of 128 windows; divide by 128 for the cost per window. */
    @Benchmark
    public void batch128Windows(Blackhole bh) {
        SileroVad.shared().score(128, inputs, states, probs);
        bh.consume(probs[0]);
    }
}
