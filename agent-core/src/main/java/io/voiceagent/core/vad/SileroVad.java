package io.voiceagent.core.vad;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Silero VAD (v6.2 or v5) on ONNX Runtime: one {@link OrtSession} that scores 16 kHz windows of any
 * number of streams, batched. Per-stream state lives with the caller (see
 * {@link VoiceProbabilityModel}), so streams cost nothing here.
 *
 * <p>Thread-safe: {@link #score} may be called from many threads at once; each thread gets its own
 * reusable direct buffers. The session runs sequentially with one intra-op thread (more threads cost
 * CPU without gaining speed for this model); to use more cores, call from more threads.
 *
 * <p>Use {@link #shared(SileroModel)} for the process-wide instance of a model (never closed), or
 * {@link #load(SileroModel)} for a private one that the caller closes.
 */
public final class SileroVad implements VoiceProbabilityModel, AutoCloseable {
    /** 16 kHz: the only rate the detector feeds. */
    public static final int SAMPLE_RATE_HZ = 16000;
    /** New samples per window. */
    public static final int WINDOW = 512;
    /** Samples of context before each window. */
    public static final int CONTEXT = 64;
    /** Floats of state per stream ([2][128]). */
    public static final int STATE = 256;
    private static final int INPUT = WINDOW + CONTEXT;
    private static final int HALF_STATE = STATE / 2;

    private static final Map<SileroModel, SileroVad> SHARED = new EnumMap<>(SileroModel.class);

    private final SileroModel model;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final OnnxTensor srTensor;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    private final AtomicBoolean closed = new AtomicBoolean();

    private SileroVad(SileroModel model) {
        this.model = model;
        byte[] bytes = readVerified(model);
        Object[] created = onLargeStack(() -> {
            OrtEnvironment e = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
            opts.setIntraOpNumThreads(1);
            opts.setInterOpNumThreads(1);
            opts.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return new Object[] {e, e.createSession(bytes, opts), OnnxTensor.createTensor(e, (long) SAMPLE_RATE_HZ)};
        }, model);
        env = (OrtEnvironment) created[0];
        session = (OrtSession) created[1];
        srTensor = (OnnxTensor) created[2];
    }

    private interface OrtAction {
        Object[] run() throws OrtException;
    }

    /**
     * Runs the native library's load and the session's creation on a thread with a 16 MB stack:
     * ONNX Runtime's graph loading recurses deeply, and on a default 1 MB Java thread it overflowed
     * the stack (a SIGSEGV without a JVM error report), depending on nothing more than the class path
     * order of the process.
     */
    private static Object[] onLargeStack(OrtAction action, SileroModel model) {
        Object[] result = new Object[1];
        Thread t = new Thread(null, () -> {
            try {
                result[0] = action.run();
            } catch (OrtException | RuntimeException | Error e) {
                result[0] = e;
            }
        }, "silero-load", 16L << 20);
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Object r = result[0];
        if (r instanceof OrtException e) {
            throw new IllegalStateException("cannot create the ONNX Runtime session for Silero " + model, e);
        }
        if (r instanceof RuntimeException e) {
            throw e;
        }
        if (r instanceof Error e) {
            throw e;
        }
        return (Object[]) r;
    }

    /** Loads a private instance; the caller must {@link #close()} it. */
    public static SileroVad load(SileroModel model) {
        return new SileroVad(Objects.requireNonNull(model, "model"));
    }

    /** The process-wide instance of {@code model}, loaded on first use and never closed. */
    public static SileroVad shared(SileroModel model) {
        Objects.requireNonNull(model, "model");
        synchronized (SHARED) {
            return SHARED.computeIfAbsent(model, SileroVad::new);
        }
    }

    /** The process-wide default model (v6.2). */
    public static SileroVad shared() {
        return shared(SileroModel.V6_2);
    }

    public SileroModel model() {
        return model;
    }

    @Override
    public int windowSamples() {
        return WINDOW;
    }

    @Override
    public int contextSamples() {
        return CONTEXT;
    }

    @Override
    public int stateSize() {
        return STATE;
    }

    @Override
    public void score(int count, float[][] inputs, float[][] states, float[] probabilities) {
        if (closed.get()) {
            throw new IllegalStateException("SileroVad " + model + " is closed");
        }
        if (count <= 0) {
            return;
        }
        Scratch s = scratch.get();
        s.ensure(count);
        FloatBuffer in = s.input;
        in.clear();
        for (int i = 0; i < count; i++) {
            in.put(inputs[i], 0, INPUT);
        }
        FloatBuffer st = s.state;
        st.clear();
        for (int layer = 0; layer < 2; layer++) {
            for (int i = 0; i < count; i++) {
                st.put(states[i], layer * HALF_STATE, HALF_STATE);
            }
        }
        in.flip();
        st.flip();
        try (OnnxTensor inT = OnnxTensor.createTensor(env, in.slice(), new long[] {count, INPUT});
             OnnxTensor stT = OnnxTensor.createTensor(env, st.slice(), new long[] {2, count, HALF_STATE});
             OrtSession.Result r = session.run(Map.of("input", inT, "state", stT, "sr", srTensor))) {
            FloatBuffer out = ((OnnxTensor) r.get(0)).getFloatBuffer();
            FloatBuffer stN = ((OnnxTensor) r.get(1)).getFloatBuffer();
            for (int i = 0; i < count; i++) {
                probabilities[i] = out.get(i);
            }
            for (int layer = 0; layer < 2; layer++) {
                for (int i = 0; i < count; i++) {
                    stN.get(states[i], layer * HALF_STATE, HALF_STATE);
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("Silero " + model + " inference failed (batch " + count + ")", e);
        }
    }

    /** Releases the session; idempotent. Shared instances ignore this. */
    @Override
    public void close() {
        synchronized (SHARED) {
            if (SHARED.get(model) == this) {
                return;
            }
        }
        if (closed.compareAndSet(false, true)) {
            try {
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException("closing the Silero session failed", e);
            } finally {
                srTensor.close();
            }
        }
    }

    private static byte[] readVerified(SileroModel model) {
        try (InputStream is = SileroVad.class.getResourceAsStream(model.resourceName())) {
            if (is == null) {
                throw new IllegalStateException("model resource io/voiceagent/core/vad/" + model.resourceName()
                        + " is missing from the classpath (run scripts/fetch-silero-model.sh)");
            }
            byte[] bytes = is.readAllBytes();
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            if (!sha.equals(model.sha256())) {
                throw new IllegalStateException("model resource " + model.resourceName() + " has sha256 " + sha
                        + ", expected " + model.sha256() + " (run scripts/fetch-silero-model.sh)");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Per-thread direct buffers, grown to the largest batch seen. */
    private static final class Scratch {
        FloatBuffer input = alloc(INPUT);
        FloatBuffer state = alloc(STATE);
        int capacity = 1;

        void ensure(int count) {
            if (count > capacity) {
                capacity = Math.max(count, capacity * 2);
                input = alloc(capacity * INPUT);
                state = alloc(capacity * STATE);
            }
        }

        private static FloatBuffer alloc(int floats) {
            return ByteBuffer.allocateDirect(floats * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
    }
}
