package io.voiceagent.core.vad;

import io.voiceagent.core.audio.AudioFrame;
import io.voiceagent.core.audio.Loudness;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.audio.Resampler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Voice activity detection for one audio stream (one remote user): PCM in, one {@link VadResult}
 * per 10 ms frame out, through the {@link VadListener}.
 *
 * <p>Pipeline: input PCM16 at 8-48 kHz, mono or stereo, in chunks of any length (bytes that do
 * not complete a 10 ms frame are kept for the next call, never dropped) -> mono -> 16 kHz
 * ({@link Resampler}; 16 kHz mono input is used as is) -> per frame the RMS in dBFS, and every 512
 * samples a Silero window (64 samples of context + 512 new, recurrent state carried) -> each frame
 * takes the probability of the window that contains it, in audio time (the window holding its last
 * sample when it straddles two), or with {@link VadV2Config#lookaheadWindows()} > 0 a probability
 * read from the windows after it -> {@link VadV2StateMachine}. The result's audio is in the input
 * format.
 *
 * <p><b>Audio time.</b> Every time in a result ({@link VadResult#frameIndex()},
 * {@link VadResult#speechStartMs()}, {@link VadResult#speechEndMs()}) is a position in the input,
 * and a frame's {@link VadResult#voiceProb()} describes that frame's own audio. A frame is therefore
 * decided only once the window covering it is complete: its result comes with the process call that
 * completes that window, at most 30 ms of input after the frame itself ({@link #decisionTimeMs}
 * says exactly when). At the end of a file, {@link #flush()} decides the frames still waiting.
 *
 * <p><b>Look-ahead</b> ({@link VadV2Config#lookaheadWindows()} = N): the frame waits for N more
 * windows (at most N x 32 ms more) and its probability is read from them:
 * <ul>
 *   <li>N = 0: the window holding the frame's last sample;</li>
 *   <li>N = 1: the window after that one. Silero's probability reacts about one window after the
 *       audio it describes (measured against the labelled fixtures, BENCHMARKS.md), so this is the
 *       best single-window estimate of the frame;</li>
 *   <li>N = 2: the N = 1 estimate interpolated linearly between window centres (window
 *       {@code j}'s probability placed at the centre of window {@code j-1}, read at the frame's
 *       midpoint), instead of held constant for 32 ms.</li>
 * </ul>
 *
 * <p>Two modes, same results bit for bit:
 * <ul>
 *   <li><b>direct</b> (no batcher): windows are scored on the calling thread during
 *       {@link #process}; every result the call makes decidable is delivered before it returns.</li>
 *   <li><b>batched</b> ({@link Builder#batcher}): windows are queued to a shared {@link VadBatcher}
 *       that scores many streams per ONNX call (about 3x cheaper per window); results are
 *       delivered from a batcher thread, or through the callback executor if one is given.</li>
 * </ul>
 *
 * <p>Optional energy gating ({@link Builder#energyGating}): a window whose RMS is below both RMS
 * thresholds, after 8 such windows in a row, is not scored (probability 0, model state kept).
 *
 * <p>Thread-safety: {@link #process} calls must come from one thread at a time (the stream's
 * executor); they are internally locked against the batcher's completions. Per-stream memory is a
 * few KB (model state 1 KB, window 2.3 KB, pre-roll frame references). {@link #close()} is
 * idempotent; results not yet delivered are discarded; process after close throws.
 */
public final class VadDetector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VadDetector.class);
    static final int FRAME_16K = 160;
    private static final int GATE_HANGOVER_WINDOWS = 8;
    /** Window probabilities kept: a pending frame reads at most its decision window and the one before. */
    private static final int PROB_RING = 8;

    private final PcmFormat inputFormat;
    private final VadV2Config config;
    private final VoiceProbabilityModel model;
    private final VadBatcher batcher;
    final int shard;
    private final VadListener listener;
    private final Executor callbackExecutor;
    private final VadDump dump;
    private final boolean energyGating;
    private final double gateDbfs;
    private final Resampler resampler;
    private final int window;
    private final int context;
    private final FrameAlignment alignment;

    private final Object lock = new Object();
    // All fields below are guarded by lock.
    private final VadV2StateMachine machine;
    private final byte[] partial;
    private int partialLen;
    private final float[] mono;
    private final float[] frame16k;
    private float[] win; // context + window being filled
    private int winFill; // samples of the new part filled
    private long windowsCompleted;
    private long windowsScored;
    /** Probabilities of the latest windows, by window index modulo its length. */
    private final float[] recentProb = new float[PROB_RING];
    private int quietWindows;
    private long framesFed;
    /** Frames below this index are decided as soon as {@link #flushWindows} windows are scored. */
    private long flushFrames;
    private long flushWindows;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private boolean closed;
    // Direct mode scratch.
    private final float[][] oneInput = new float[1][];
    private final float[][] oneState = new float[1][];
    private final float[] oneProb = new float[1];
    /** Model state; only touched by the scorer (this stream's batcher worker, or the caller in direct mode). */
    final float[] modelState;

    private VadDetector(Builder b) {
        inputFormat = b.inputFormat;
        config = b.config;
        model = b.model != null ? b.model : SileroVad.shared();
        batcher = b.batcher;
        listener = b.listener;
        callbackExecutor = b.callbackExecutor;
        dump = b.dump;
        energyGating = b.energyGating;
        gateDbfs = Math.min(config.startRmsThreshold(), config.stopRmsThreshold());
        if (batcher != null && batcher.model() != model && b.model != null) {
            throw new IllegalArgumentException("the batcher's model differs from the detector's model");
        }
        resampler = inputFormat.sampleRateHz() == 16000 ? null : new Resampler(inputFormat.sampleRateHz(), 16000);
        window = model.windowSamples();
        context = model.contextSamples();
        alignment = new FrameAlignment(window, config.lookaheadWindows());
        machine = new VadV2StateMachine(config);
        partial = new byte[inputFormat.bytesPerFrame()];
        mono = new float[inputFormat.samplesPerChannelPerFrame()];
        frame16k = new float[resampler == null ? FRAME_16K : resampler.maxOutput(mono.length)];
        win = new float[context + window];
        modelState = new float[model.stateSize()];
        shard = batcher == null ? 0 : batcher.assignShard();
    }

    /**
     * A builder for a detector of input in {@code inputFormat}.
     *
     * @param inputFormat 8-48 kHz, mono or stereo
     */
    public static Builder builder(PcmFormat inputFormat) {
        return new Builder(inputFormat);
    }

    public PcmFormat inputFormat() {
        return inputFormat;
    }

    public VadV2Config config() {
        return config;
    }

    /** Feeds one frame; its format must be the detector's input format. */
    public void process(AudioFrame frame) {
        if (!frame.format().equals(inputFormat)) {
            throw new IllegalArgumentException("frame format " + frame.format() + " differs from the detector's "
                    + inputFormat);
        }
        process(frame.data(), 0, frame.data().length);
    }

    /** Feeds PCM16 bytes in the input format, of any length. */
    public void process(byte[] pcm) {
        process(pcm, 0, pcm.length);
    }

    /**
     * Feeds {@code len} bytes of PCM16 in the input format. Any length is accepted: whole 10 ms
     * frames are analysed now, the rest is kept for the next call. The bytes are copied.
     *
     * @throws IllegalStateException if the detector is closed
     */
    public void process(byte[] pcm, int off, int len) {
        Objects.checkFromIndexSize(off, len, pcm.length);
        List<VadResult> ready = new ArrayList<>(4);
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("VadDetector is closed");
            }
            int frameBytes = partial.length;
            while (len > 0) {
                if (partialLen == 0 && len >= frameBytes) {
                    byte[] f = new byte[frameBytes];
                    System.arraycopy(pcm, off, f, 0, frameBytes);
                    analyseFrame(f, ready);
                    off += frameBytes;
                    len -= frameBytes;
                } else {
                    int n = Math.min(len, frameBytes - partialLen);
                    System.arraycopy(pcm, off, partial, partialLen, n);
                    partialLen += n;
                    off += n;
                    len -= n;
                    if (partialLen == frameBytes) {
                        analyseFrame(partial.clone(), ready);
                        partialLen = 0;
                    }
                }
            }
            deliver(ready);
        }
    }

    /** Whether the detector is inside a speech segment (after START, before STOP) as of the last delivered result. */
    public boolean isSpeaking() {
        synchronized (lock) {
            return machine.isSpeaking();
        }
    }

    /** End of the last voiced frame of the open segment in ms, or -1 when not speaking. */
    public long openSegmentEndMs() {
        synchronized (lock) {
            return machine.openSegmentEndMs();
        }
    }

    /**
     * The audio time, in ms of input, from which the result of frame {@code frameIndex} can be
     * decided: the end of the 10 ms frame that completes the last model window the frame's
     * probability reads. It lies between the frame's own end ({@code 10 * frameIndex + 10}) and
     * 30 ms later without look-ahead; each look-ahead window adds 32 ms of audio (at most 70 ms with
     * one window, 80 ms with two). In direct mode the result is delivered by the process call that
     * feeds this audio; in batched mode as soon as that window has been scored. A pure function of
     * the index and the configuration.
     */
    public long decisionTimeMs(long frameIndex) {
        if (frameIndex < 0) {
            throw new IllegalArgumentException("frameIndex must be >= 0; got " + frameIndex);
        }
        return alignment.decisionTimeMs(frameIndex);
    }

    /**
     * End of input (of a file, or of a stream that stops): every whole frame fed so far is decided
     * as soon as the windows already complete are scored, which in direct mode is before this call
     * returns. Where a frame's rule reads a window that is not complete (the last frames, and their
     * look-ahead windows), it reads the last scored window instead (0 if none). A partial frame
     * stays buffered. Feeding may continue afterwards; later frames are
     * decided as usual. A live stream never needs this.
     *
     * @throws IllegalStateException if the detector is closed
     */
    public void flush() {
        List<VadResult> ready = new ArrayList<>(4);
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("VadDetector is closed");
            }
            flushFrames = framesFed;
            flushWindows = windowsCompleted;
            drain(ready);
            deliver(ready);
        }
    }

    /**
     * Frames fed whose result has not been delivered yet: waiting for the window that covers them
     * and the look-ahead windows (after a process call in direct mode at most 3, 7 or 8 frames for
     * look-ahead 0, 1 or 2), or for a batched window to be scored.
     */
    public int pendingFrames() {
        synchronized (lock) {
            return pending.size();
        }
    }

    /** Stops the detector; idempotent. Undelivered results are discarded; the dump (if any) is closed. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            pending.clear();
        }
        if (dump != null) {
            dump.close();
        }
    }

    // ---- pipeline (under lock) ----

    private void analyseFrame(byte[] frameBytes, List<VadResult> ready) {
        int n = Loudness.toMonoFloat(frameBytes, 0, mono.length, inputFormat.channels(), mono, 0);
        float[] s16;
        if (resampler == null) {
            s16 = mono;
        } else {
            int produced = resampler.process(mono, 0, n, frame16k, 0);
            if (produced != FRAME_16K) {
                throw new IllegalStateException("resampler produced " + produced + " samples for one frame");
            }
            s16 = frame16k;
        }
        double rms = Loudness.rmsDbfs(s16, 0, FRAME_16K);
        int i = 0;
        while (i < FRAME_16K) {
            int n2 = Math.min(FRAME_16K - i, window - winFill);
            System.arraycopy(s16, i, win, context + winFill, n2);
            winFill += n2;
            i += n2;
            if (winFill == window) {
                windowComplete();
            }
        }
        pending.add(new Pending(frameBytes, rms, framesFed++));
        drain(ready);
    }

    private void windowComplete() {
        long index = windowsCompleted++;
        float[] input = win;
        float[] next = batcher == null ? win : new float[context + window];
        // The next window's context is the last `context` samples of this one.
        float[] tail = new float[context];
        System.arraycopy(input, input.length - context, tail, 0, context);
        boolean skip = false;
        if (energyGating) {
            double db = Loudness.rmsDbfs(input, context, window);
            quietWindows = db < gateDbfs ? quietWindows + 1 : 0;
            skip = quietWindows > GATE_HANGOVER_WINDOWS;
        }
        if (batcher == null) {
            float p = 0;
            if (!skip) {
                oneInput[0] = input;
                oneState[0] = modelState;
                model.score(1, oneInput, oneState, oneProb);
                p = oneProb[0];
            }
            scored(index, p);
        } else if (skip && windowsScored == index) {
            scored(index, 0f); // nothing in flight: no need to keep order through the queue
        } else {
            batcher.submit(new VadBatcher.Job(this, input, skip, index));
        }
        win = next;
        System.arraycopy(tail, 0, win, 0, context);
        winFill = 0;
    }

    private void scored(long index, float p) {
        windowsScored = index + 1;
        recentProb[(int) (index % PROB_RING)] = p;
    }

    /** A scored window's probability; windows not scored yet (only asked after a flush) read the last one. */
    private double windowProbability(long w) {
        if (windowsScored == 0) {
            return 0;
        }
        long at = Math.min(w, windowsScored - 1);
        if (at <= windowsScored - 1 - PROB_RING) {
            throw new IllegalStateException("window " + w + " is no longer kept (" + windowsScored + " scored)");
        }
        return recentProb[(int) (at % PROB_RING)];
    }

    /** Called by the batcher worker when a window of this stream has been scored. */
    void windowScored(long index, float p) {
        List<VadResult> ready = new ArrayList<>(4);
        synchronized (lock) {
            if (closed) {
                return;
            }
            scored(index, p);
            drain(ready);
            deliver(ready);
        }
    }

    private void drain(List<VadResult> ready) {
        Pending f;
        while ((f = pending.peek()) != null) {
            boolean decidable = alignment.decisionWindow(f.frame) < windowsScored
                    || (f.frame < flushFrames && windowsScored >= flushWindows);
            if (!decidable) {
                break;
            }
            pending.poll();
            int prob = (int) Math.round(alignment.probability(f.frame, this::windowProbability) * 100);
            VadResult r = machine.step(f.bytes, prob, f.rmsDbfs);
            if (dump != null) {
                dump.write(r, f.bytes, config);
            }
            ready.add(r);
        }
    }

    private void deliver(List<VadResult> ready) {
        if (listener == null || ready.isEmpty()) {
            return;
        }
        if (callbackExecutor == null) {
            for (VadResult r : ready) {
                safeCall(r);
            }
        } else {
            List<VadResult> copy = List.copyOf(ready);
            callbackExecutor.execute(() -> copy.forEach(this::safeCall));
        }
    }

    private void safeCall(VadResult r) {
        try {
            listener.onResult(r);
        } catch (Throwable t) {
            LOG.warn("VadListener threw on {}; ignored", r, t);
        }
    }

    private record Pending(byte[] bytes, double rmsDbfs, long frame) {
    }

    /** Builder; not thread-safe. */
    public static final class Builder {
        private final PcmFormat inputFormat;
        private VadV2Config config = VadV2Config.DEFAULT;
        private VoiceProbabilityModel model;
        private VadBatcher batcher;
        private VadListener listener;
        private Executor callbackExecutor;
        private VadDump dump;
        private boolean energyGating;

        private Builder(PcmFormat inputFormat) {
            this.inputFormat = Objects.requireNonNull(inputFormat, "inputFormat");
        }

        public Builder config(VadV2Config config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** The model for direct mode; default {@link SileroVad#shared()}. Ignored when a batcher is set. */
        public Builder model(VoiceProbabilityModel model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /** Scores windows in batches on the batcher's threads (the batcher's model is used). */
        public Builder batcher(VadBatcher batcher) {
            this.batcher = Objects.requireNonNull(batcher, "batcher");
            return this;
        }

        /** Receives every result in frame order. */
        public Builder listener(VadListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Delivers results through {@code executor} (which must run tasks in submission order, e.g.
         * a connection's single-thread executor) instead of on the thread that produced them.
         */
        public Builder callbackExecutor(Executor executor) {
            this.callbackExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Writes every frame to a debug dump (test environments only); closed with the detector. */
        public Builder dump(VadDump dump) {
            this.dump = Objects.requireNonNull(dump, "dump");
            return this;
        }

        /** Skips scoring quiet windows after an 8-window hangover (default off). */
        public Builder energyGating(boolean on) {
            this.energyGating = on;
            return this;
        }

        public VadDetector build() {
            if (batcher != null) {
                model = batcher.model();
            }
            return new VadDetector(this);
        }
    }
}
