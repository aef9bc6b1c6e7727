package io.voiceagent.core.tts;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.audio.Resampler;
import io.voiceagent.core.audio.WavFile;
import io.voiceagent.core.http.IoExecutors;
import io.voiceagent.core.http.StreamCall;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offline {@link TextToSpeech} that runs the {@code espeak-ng} program (Debian/Ubuntu:
 * {@code apt-get install -y espeak-ng}): the text goes to its standard input
 * ({@code espeak-ng --stdout --stdin -v VOICE -s WPM}), the WAV it writes (22050 Hz mono) is
 * parsed and resampled (band-limited) to the requested rate, and duplicated to stereo if asked.
 * The audio is delivered in pieces of 100 ms after the process exits (espeak-ng synthesizes a
 * sentence in a few milliseconds; the segmenter keeps pieces short).
 *
 * <p>Each synthesis is one process, run on the I/O executor; {@link StreamCall#cancel()} kills it.
 * Thread-safe.
 */
public final class EspeakNgTts implements TextToSpeech {

    private static final Logger log = LoggerFactory.getLogger(EspeakNgTts.class);

    /** How to install the program, for error messages. */
    public static final String INSTALL_HINT = "install it with `sudo apt-get install -y espeak-ng` (Debian/Ubuntu) "
            + "or set EspeakNgConfig.executable to its path";

    private final EspeakNgConfig config;
    private final Executor ioExecutor;

    public EspeakNgTts() {
        this(EspeakNgConfig.defaults(), IoExecutors.shared());
    }

    public EspeakNgTts(EspeakNgConfig config, Executor ioExecutor) {
        this.config = Objects.requireNonNull(config, "config");
        this.ioExecutor = Objects.requireNonNull(ioExecutor, "ioExecutor");
    }

    public EspeakNgConfig config() {
        return config;
    }

    /**
     * Checks that the program runs ({@code espeak-ng --version}).
     *
     * @return its version line
     * @throws TtsException with {@link #INSTALL_HINT} if it cannot be run
     */
    public String checkInstalled() throws TtsException {
        try {
            Process p = new ProcessBuilder(config.executable(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new TtsException(config.executable() + " --version failed: " + out + "; " + INSTALL_HINT);
            }
            return out;
        } catch (IOException e) {
            throw new TtsException("cannot run " + config.executable() + ": " + e.getMessage() + "; " + INSTALL_HINT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TtsException("interrupted while checking " + config.executable(), e);
        }
    }

    @Override
    public StreamCall synthesize(String text, PcmFormat format, TtsListener listener) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(listener, "listener");
        Call call = new Call();
        ioExecutor.execute(() -> call.run(text, format, listener));
        return call;
    }

    /**
     * Synthesizes and waits: all the PCM of {@code text} in {@code format}.
     *
     * @throws TtsException if espeak-ng is missing or fails
     */
    public byte[] synthesizeAll(String text, PcmFormat format) throws TtsException, InterruptedException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        CompletableFuture<Void> done = new CompletableFuture<>();
        synthesize(text, format, new TtsListener() {
            @Override
            public void onAudio(byte[] pcm) {
                out.writeBytes(pcm);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        try {
            done.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof TtsException t) {
                throw t;
            }
            throw new TtsException("espeak-ng synthesis failed: " + e.getCause(), e.getCause());
        }
        return out.toByteArray();
    }

    private final class Call implements StreamCall {
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private final AtomicReference<Process> process = new AtomicReference<>();
        private final CompletableFuture<Void> completion = new CompletableFuture<>();

        Call() {
            completion.whenComplete((v, t) -> {
                if (t instanceof CancellationException) {
                    cancel();
                }
            });
        }

        @Override
        public void cancel() {
            if (cancelled.compareAndSet(false, true)) {
                Process p = process.get();
                if (p != null) {
                    p.destroyForcibly();
                }
                completion.cancel(false);
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled.get();
        }

        @Override
        public CompletableFuture<Void> completion() {
            return completion;
        }

        void run(String text, PcmFormat format, TtsListener listener) {
            try {
                byte[] pcm = text.isBlank() ? new byte[0] : synthesizeBlocking(text, format);
                int piece = (int) format.bytesFor(100);
                for (int off = 0; off < pcm.length && !cancelled.get(); off += piece) {
                    byte[] chunk = java.util.Arrays.copyOfRange(pcm, off, Math.min(pcm.length, off + piece));
                    listener.onAudio(chunk);
                }
                if (!cancelled.get()) {
                    listener.onComplete();
                    completion.complete(null);
                }
            } catch (Throwable t) {
                if (cancelled.get()) {
                    return;
                }
                try {
                    listener.onError(t);
                } catch (Throwable t2) {
                    log.warn("TtsListener.onError threw; ignored", t2);
                }
                completion.completeExceptionally(t);
            }
        }

        private byte[] synthesizeBlocking(String text, PcmFormat format) throws IOException, InterruptedException {
            ProcessBuilder pb = new ProcessBuilder(config.executable(), "--stdout", "--stdin", "-v", config.voice(), "-s",
                    Integer.toString(config.wordsPerMinute()));
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new TtsException("cannot run " + config.executable() + ": " + e.getMessage() + "; " + INSTALL_HINT, e);
            }
            process.set(p);
            if (cancelled.get()) {
                p.destroyForcibly();
                throw new CancellationException();
            }
            // stderr is small (warnings); drain it on the side so a chatty espeak cannot block.
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readQuietly(p.getErrorStream()),
                    ioExecutor);
            try (OutputStream in = p.getOutputStream()) {
                in.write(text.getBytes(StandardCharsets.UTF_8));
            }
            byte[] wav;
            try (InputStream out = p.getInputStream()) {
                wav = out.readAllBytes();
            }
            if (!p.waitFor(config.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new TtsException("espeak-ng did not finish within " + config.timeout());
            }
            if (cancelled.get()) {
                throw new CancellationException();
            }
            if (p.exitValue() != 0) {
                throw new TtsException("espeak-ng exited with " + p.exitValue() + ": " + stderr.getNow("").strip());
            }
            WavFile parsed;
            try {
                parsed = WavFile.parse(wav, "espeak-ng output");
            } catch (IOException e) {
                throw new TtsException(e.getMessage());
            }
            short[] mono = parsed.samples();
            if (parsed.channels() != 1) {
                mono = downmix(mono, parsed.channels());
            }
            short[] resampled = Resampler.resample(mono, parsed.sampleRateHz(), format.sampleRateHz());
            ByteBuffer b = ByteBuffer.allocate(resampled.length * format.bytesPerSampleFrame()).order(ByteOrder.LITTLE_ENDIAN);
            for (short s : resampled) {
                for (int c = 0; c < format.channels(); c++) {
                    b.putShort(s);
                }
            }
            return b.array();
        }
    }

    private static short[] downmix(short[] interleaved, int channels) {
        short[] out = new short[interleaved.length / channels];
        for (int i = 0; i < out.length; i++) {
            int sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += interleaved[i * channels + c];
            }
            out[i] = (short) (sum / channels);
        }
        return out;
    }

    private static String readQuietly(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public String toString() {
        return "EspeakNgTts[" + config + "]";
    }
}
