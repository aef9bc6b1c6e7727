package io.voiceagent.core.stt.pocketsphinx;

import com.sun.jna.NativeLong;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.audio.Resampler;
import io.voiceagent.core.concurrent.DaemonThreads;
import io.voiceagent.core.stt.SpeechStream;
import io.voiceagent.core.stt.SpeechStreamListener;
import io.voiceagent.core.stt.SpeechToText;
import io.voiceagent.core.stt.Transcript;
import io.voiceagent.core.stt.pocketsphinx.internal.PocketSphinxLibrary;
import io.voiceagent.core.stt.pocketsphinx.internal.PocketSphinxLibrary.CmdLn;
import io.voiceagent.core.stt.pocketsphinx.internal.PocketSphinxLibrary.PsDecoder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offline streaming speech recognition with CMU PocketSphinx (Debian's {@code libpocketsphinx3} and
 * the {@code pocketsphinx-en-us} model, through JNA). Each utterance ({@link #startStream}) takes a
 * decoder from a pool for its length; audio is decoded as it arrives, the hypothesis is read every
 * {@link PocketSphinxConfig#partialInterval()} of audio and reported as a partial when it is not
 * empty, and {@link SpeechStream#finish()} ends the utterance with the final hypothesis. Input of
 * any rate and channel count is mixed to mono and resampled to the model's 16 kHz.
 *
 * <p><b>Threads.</b> Decoding runs on the recognizer's own worker threads ({@code
 * voiceagent-pocketsphinx-N}, one per decoder at most): {@link SpeechStream#write} only copies and
 * enqueues, so a session's executor never waits for the decoder. A stream's work runs one task at a
 * time; a decoder is used by one stream at a time (PocketSphinx decoders are not thread-safe).
 * Utterances beyond {@link PocketSphinxConfig#maxDecoders()} queue their audio until a decoder is
 * free. Thread-safe.
 *
 * <p><b>Ownership.</b> {@link #create} loads the libraries and builds one decoder at once (so a
 * missing library or model fails there, with the package to install); more are built on demand.
 * {@link #close()} frees every decoder (a busy one when its utterance ends) and stops the workers;
 * streams still open are cancelled.
 */
public final class PocketSphinxStt implements SpeechToText, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PocketSphinxStt.class);
    /** The model's sample rate (the en-us model's {@code feat.params}). */
    public static final int MODEL_RATE_HZ = 16_000;

    private static volatile PocketSphinxLibrary.Loaded loaded;
    private static volatile Throwable loadFailure;

    private final PocketSphinxConfig config;
    private final PocketSphinxLibrary.Loaded lib;
    private final ExecutorService workers;
    private final AtomicBoolean closed = new AtomicBoolean();

    private final Object poolLock = new Object();
    private final List<PsDecoder> idle = new ArrayList<>(); // guarded by poolLock
    private final ArrayDeque<Stream> waiting = new ArrayDeque<>(); // guarded by poolLock
    private int created; // guarded by poolLock

    private PocketSphinxStt(PocketSphinxConfig config, PocketSphinxLibrary.Loaded lib) {
        this.config = config;
        this.lib = lib;
        this.workers = Executors.newFixedThreadPool(config.maxDecoders(), DaemonThreads.named("voiceagent-pocketsphinx-"));
    }

    /**
     * Whether the PocketSphinx libraries load on this machine (probed once). See {@link #unavailableReason()}.
     */
    public static boolean isAvailable() {
        return libraries() != null;
    }

    /** Why the libraries do not load (with how to install them), or null if they do. */
    public static String unavailableReason() {
        if (libraries() != null) {
            return null;
        }
        return "PocketSphinx is not installed (" + loadFailure.getMessage() + "): run 'apt-get install libpocketsphinx3 "
                + "pocketsphinx-en-us' (scripts/install-deps.sh does)";
    }

    private static synchronized PocketSphinxLibrary.Loaded libraries() {
        if (loaded == null && loadFailure == null) {
            try {
                PocketSphinxLibrary.Loaded l = PocketSphinxLibrary.load();
                l.base().err_set_logfp(null); // the decoder's own log goes nowhere; errors surface as return codes
                loaded = l;
            } catch (Throwable t) {
                loadFailure = t;
            }
        }
        return loaded;
    }

    /**
     * A recognizer with {@code config}; builds its first decoder now.
     *
     * @throws IllegalStateException if the libraries or the model files are missing (the message says what to install)
     */
    public static PocketSphinxStt create(PocketSphinxConfig config) {
        Objects.requireNonNull(config, "config");
        PocketSphinxLibrary.Loaded l = libraries();
        if (l == null) {
            throw new IllegalStateException(unavailableReason(), loadFailure);
        }
        config.checkFiles();
        PocketSphinxStt stt = new PocketSphinxStt(config, l);
        PsDecoder first = stt.newDecoder();
        synchronized (stt.poolLock) {
            stt.created = 1;
            stt.idle.add(first);
        }
        return stt;
    }

    public PocketSphinxConfig config() {
        return config;
    }

    /** Decoders built so far (busy and idle). */
    public int decoders() {
        synchronized (poolLock) {
            return created;
        }
    }

    @Override
    public boolean isStreaming() {
        return true;
    }

    @Override
    public SpeechStream startStream(PcmFormat format, SpeechStreamListener listener) {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(listener, "listener");
        if (closed.get()) {
            throw new IllegalStateException("PocketSphinxStt is closed");
        }
        Stream s = new Stream(format, listener);
        s.schedule();
        return s;
    }

    /** The whole utterance through one stream (no partials reported). */
    @Override
    public CompletableFuture<Transcript> transcribe(byte[] pcm, PcmFormat format) {
        Objects.requireNonNull(pcm, "pcm");
        SpeechStream s = startStream(format, text -> { });
        s.write(pcm, 0, pcm.length - pcm.length % format.bytesPerSampleFrame());
        return s.finish();
    }

    // ---- decoders ----

    private PsDecoder newDecoder() {
        String[] argv = {"pocketsphinx", "-hmm", config.acousticModel().toString(),
                "-lm", config.languageModel().toString(), "-dict", config.dictionary().toString(),
                "-samprate", Integer.toString(MODEL_RATE_HZ), "-logfn", "/dev/null"};
        CmdLn cmd = lib.base().cmd_ln_parse_r(null, lib.ps().ps_args(), argv.length, argv, 1);
        if (cmd == null) {
            throw new IllegalStateException("cmd_ln_parse_r rejected the PocketSphinx arguments for " + config);
        }
        try {
            PsDecoder d = lib.ps().ps_init(cmd); // retains cmd
            if (d == null) {
                throw new IllegalStateException("ps_init failed for " + config + " (unreadable or mismatched model files)");
            }
            return d;
        } finally {
            lib.base().cmd_ln_free_r(cmd);
        }
    }

    /** A free decoder for {@code s}, or null: {@code s} then waits and is handed one by {@link #release}. */
    private PsDecoder acquire(Stream s) {
        synchronized (poolLock) {
            if (!idle.isEmpty()) {
                return idle.remove(idle.size() - 1);
            }
            if (created >= config.maxDecoders()) {
                waiting.add(s);
                return null;
            }
            created++;
        }
        try {
            return newDecoder(); // outside the lock: loading takes a while
        } catch (RuntimeException e) {
            synchronized (poolLock) {
                created--;
            }
            throw e;
        }
    }

    private void release(PsDecoder d) {
        Stream next;
        synchronized (poolLock) {
            next = closed.get() ? null : waiting.poll();
            if (next == null) {
                if (closed.get()) {
                    created--;
                } else {
                    idle.add(d);
                    return;
                }
            }
        }
        if (next == null) {
            lib.ps().ps_free(d);
        } else {
            next.assign(d);
        }
    }

    /** Frees idle decoders, cancels waiting streams, stops the workers. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<PsDecoder> free;
        List<Stream> cancelled;
        synchronized (poolLock) {
            free = new ArrayList<>(idle);
            idle.clear();
            created -= free.size();
            cancelled = new ArrayList<>(waiting);
            waiting.clear();
        }
        cancelled.forEach(Stream::cancel);
        free.forEach(d -> lib.ps().ps_free(d));
        workers.shutdown();
    }

    @Override
    public String toString() {
        return "PocketSphinxStt[" + config.acousticModel() + ", decoders<=" + config.maxDecoders() + "]";
    }

    // ---- one utterance ----

    /**
     * One utterance. Audio chunks queue under the stream's lock; {@link #drain} runs on a worker, one
     * at a time per stream ({@code scheduled}), and is the only code that touches the decoder.
     */
    private final class Stream implements SpeechStream {
        private final PcmFormat format;
        private final SpeechStreamListener listener;
        private final Resampler resampler;
        private final int checkSamples;
        private final CompletableFuture<Transcript> result = new CompletableFuture<>();

        private final ArrayDeque<byte[]> chunks = new ArrayDeque<>(); // guarded by this
        private boolean finishing; // guarded by this
        private boolean cancelled; // guarded by this
        private boolean scheduled; // guarded by this
        private PsDecoder decoder; // guarded by this; used only by drain
        private boolean waitingForDecoder; // guarded by this

        // confined to drain (one at a time)
        private boolean started;
        private int sinceCheck;
        private String lastPartial = "";

        Stream(PcmFormat format, SpeechStreamListener listener) {
            this.format = format;
            this.listener = listener;
            this.resampler = format.sampleRateHz() == MODEL_RATE_HZ ? null
                    : new Resampler(format.sampleRateHz(), MODEL_RATE_HZ);
            this.checkSamples = (int) (config.partialInterval().toMillis() * MODEL_RATE_HZ / 1000);
            result.whenComplete((t, e) -> {
                if (result.isCancelled()) {
                    cancel();
                }
            });
        }

        @Override
        public void write(byte[] pcm, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, pcm.length);
            if (length % format.bytesPerSampleFrame() != 0) {
                throw new IllegalArgumentException("length must be a whole number of sample frames of " + format + " ("
                        + format.bytesPerSampleFrame() + " bytes); got " + length);
            }
            if (length == 0) {
                return;
            }
            byte[] copy = java.util.Arrays.copyOfRange(pcm, offset, offset + length);
            synchronized (this) {
                if (finishing || cancelled) {
                    return;
                }
                chunks.add(copy);
            }
            schedule();
        }

        @Override
        public CompletableFuture<Transcript> finish() {
            synchronized (this) {
                if (cancelled || finishing) {
                    return result;
                }
                finishing = true;
            }
            schedule();
            return result;
        }

        @Override
        public void cancel() {
            synchronized (this) {
                if (cancelled) {
                    return;
                }
                cancelled = true;
                chunks.clear();
            }
            result.cancel(true);
            schedule(); // drain resets and returns the decoder
        }

        void assign(PsDecoder d) {
            synchronized (this) {
                decoder = d;
                waitingForDecoder = false;
            }
            schedule();
        }

        void schedule() {
            synchronized (this) {
                if (scheduled || waitingForDecoder) {
                    return;
                }
                scheduled = true;
            }
            try {
                workers.execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException closedPool) {
                synchronized (this) {
                    scheduled = false;
                }
                result.cancel(true);
            }
        }

        private void drain() {
            try {
                drainUnsafe();
            } catch (Throwable t) {
                log.warn("PocketSphinx decoding failed", t);
                PsDecoder d;
                synchronized (this) {
                    cancelled = true;
                    chunks.clear();
                    d = decoder;
                    decoder = null;
                }
                result.completeExceptionally(t);
                if (d != null) {
                    endAndRelease(d);
                }
            } finally {
                boolean again;
                synchronized (this) {
                    scheduled = false;
                    again = decoder != null && (!chunks.isEmpty() || finishing || cancelled);
                }
                if (again) {
                    schedule();
                }
            }
        }

        private void drainUnsafe() {
            PsDecoder d;
            synchronized (this) {
                d = decoder;
                if (d == null) {
                    if (cancelled) {
                        return;
                    }
                    waitingForDecoder = true;
                }
            }
            if (d == null) {
                PsDecoder got = acquire(this); // null: assign() follows when one is free
                if (got == null) {
                    return;
                }
                synchronized (this) {
                    decoder = got;
                    waitingForDecoder = false;
                }
                d = got;
            }
            while (true) {
                byte[] chunk;
                boolean end;
                boolean stop;
                synchronized (this) {
                    chunk = chunks.poll();
                    end = chunk == null && finishing;
                    stop = cancelled;
                    if (stop || end) {
                        decoder = null;
                    }
                }
                if (stop) {
                    endAndRelease(d);
                    return;
                }
                if (end) {
                    String text = "";
                    if (started) {
                        check(lib.ps().ps_end_utt(d), "ps_end_utt");
                        started = false;
                        text = hypothesis(d);
                    }
                    release(d);
                    result.complete(new Transcript(text));
                    return;
                }
                if (chunk == null) {
                    return;
                }
                decode(d, chunk);
            }
        }

        private void decode(PsDecoder d, byte[] chunk) {
            if (!started) {
                check(lib.ps().ps_start_utt(d), "ps_start_utt");
                started = true;
            }
            short[] mono = toMono(chunk);
            short[] samples = resampler == null ? mono : resample(mono);
            if (samples.length == 0) {
                return;
            }
            int n = lib.ps().ps_process_raw(d, samples, new NativeLong(samples.length), 0, 0);
            if (n < 0) {
                throw new IllegalStateException("ps_process_raw returned " + n);
            }
            sinceCheck += samples.length;
            if (sinceCheck >= checkSamples) {
                sinceCheck = 0;
                String hyp = hypothesis(d);
                boolean live;
                synchronized (this) {
                    live = !cancelled;
                }
                if (live && !hyp.isEmpty()) {
                    lastPartial = hyp;
                    listener.onPartial(hyp);
                }
            }
        }

        private String hypothesis(PsDecoder d) {
            String h = lib.ps().ps_get_hyp(d, null);
            return h == null ? "" : h.strip();
        }

        private void endAndRelease(PsDecoder d) {
            if (started) {
                lib.ps().ps_end_utt(d);
                started = false;
            }
            release(d);
        }

        private short[] toMono(byte[] pcm) {
            int ch = format.channels();
            int frames = pcm.length / (2 * ch);
            short[] out = new short[frames];
            for (int i = 0; i < frames; i++) {
                int sum = 0;
                for (int c = 0; c < ch; c++) {
                    int at = 2 * (i * ch + c);
                    sum += (short) ((pcm[at] & 0xff) | (pcm[at + 1] << 8));
                }
                out[i] = (short) (sum / ch);
            }
            return out;
        }

        private short[] resample(short[] in) {
            float[] f = new float[in.length];
            for (int i = 0; i < in.length; i++) {
                f[i] = in[i];
            }
            float[] out = new float[resampler.maxOutput(in.length)];
            int n = resampler.process(f, 0, f.length, out, 0);
            short[] s = new short[n];
            for (int i = 0; i < n; i++) {
                s[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(out[i])));
            }
            return s;
        }

        private void check(int rc, String function) {
            if (rc < 0) {
                throw new IllegalStateException(function + " returned " + rc);
            }
        }

        @Override
        public String toString() {
            return "PocketSphinxStt.Stream[" + format + ", last partial '" + lastPartial + "']";
        }
    }
}
