package io.voiceagent.core.tts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.audio.Resampler;
import io.voiceagent.core.http.HttpStreamCall;
import io.voiceagent.core.http.IoExecutors;
import io.voiceagent.core.http.OpenAiConfig;
import io.voiceagent.core.http.OpenAiRequests;
import io.voiceagent.core.http.StreamCall;
import java.net.http.HttpClient;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * {@link TextToSpeech} over any OpenAI-compatible speech endpoint: {@code POST {base}/audio/speech}
 * with {@code {"model", "input", "voice", "response_format": "pcm"}}, whose response body is raw
 * PCM16 LE mono at {@code responseRateHz} (24 kHz for OpenAI, and for Kokoro-82M on DeepInfra's
 * OpenAI-compatible API), streamed: audio is handed to the listener as the body arrives, resampled
 * (band-limited, streaming) to the requested rate and duplicated to stereo if asked. The key is the
 * config's, sent as a bearer token and never logged.
 *
 * <p>Each synthesis is one HTTP request; {@link StreamCall#cancel()} aborts it. Thread-safe.
 */
public final class OpenAiSpeechTts implements TextToSpeech {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The default model: OpenAI's. Kokoro on DeepInfra is {@code hexgrad/Kokoro-82M}. */
    public static final String DEFAULT_MODEL = "gpt-4o-mini-tts";

    private final OpenAiConfig config;
    private final String model;
    private final String voice;
    private final int responseRateHz;
    private final HttpClient http;
    private final Executor ioExecutor;

    /**
     * @param config base URL (such as {@code https://api.openai.com/v1}), key and timeouts; its chat
     *     model is not used
     * @param model the speech model
     * @param voice the voice ({@code alloy}; Kokoro: {@code af_bella}, {@code ef_dora}, {@code ff_siwis}, ...)
     * @param responseRateHz the rate of the endpoint's PCM (24000 for OpenAI and Kokoro)
     * @throws IllegalArgumentException naming the parameter if one is blank or out of range
     */
    public OpenAiSpeechTts(OpenAiConfig config, String model, String voice, int responseRateHz) {
        this(config, model, voice, responseRateHz, IoExecutors.shared());
    }

    /** As above, reading the bodies on {@code ioExecutor}. */
    public OpenAiSpeechTts(OpenAiConfig config, String model, String voice, int responseRateHz, Executor ioExecutor) {
        this.config = Objects.requireNonNull(config, "config");
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank; got " + model);
        }
        if (voice == null || voice.isBlank()) {
            throw new IllegalArgumentException("voice must not be blank; got " + voice);
        }
        if (responseRateHz < 8000 || responseRateHz > 48000) {
            throw new IllegalArgumentException("responseRateHz must be in 8000..48000; got " + responseRateHz);
        }
        this.model = model;
        this.voice = voice;
        this.responseRateHz = responseRateHz;
        this.ioExecutor = Objects.requireNonNull(ioExecutor, "ioExecutor");
        this.http = OpenAiRequests.newHttpClient(config);
    }

    /** The same endpoint and model with another voice (a duet's voice catalog makes one per voice). */
    public OpenAiSpeechTts withVoice(String otherVoice) {
        return new OpenAiSpeechTts(config, model, otherVoice, responseRateHz, ioExecutor);
    }

    public String voice() {
        return voice;
    }

    @Override
    public StreamCall synthesize(String text, PcmFormat format, TtsListener listener) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(listener, "listener");
        ObjectNode body = JSON.createObjectNode().put("model", model).put("input", text).put("voice", voice)
                .put("response_format", "pcm");
        return HttpStreamCall.start(http, OpenAiRequests.post(config, "/audio/speech", body.toString(),
                "audio/pcm, application/octet-stream"), ioExecutor, new PcmBody(format, listener));
    }

    /** The response body: whole samples, resampled, to the listener. Confined to one I/O thread at a time. */
    private final class PcmBody implements HttpStreamCall.BodyHandler {
        private final PcmFormat format;
        private final TtsListener listener;
        private final Resampler resampler;
        private int carry = -1; // an odd byte left from the previous chunk
        private float[] in = new float[0];
        private float[] out = new float[0];
        private long samples;

        PcmBody(PcmFormat format, TtsListener listener) {
            this.format = format;
            this.listener = listener;
            this.resampler = new Resampler(responseRateHz, format.sampleRateHz());
        }

        @Override
        public boolean onBytes(byte[] buf, int off, int len) {
            int n = (len + (carry >= 0 ? 1 : 0)) / 2;
            if (n == 0) {
                carry = buf[off] & 0xff;
                return true;
            }
            if (in.length < n) {
                in = new float[n];
            }
            int pos = off;
            int end = off + len;
            for (int i = 0; i < n; i++) {
                int lo;
                if (carry >= 0) {
                    lo = carry;
                    carry = -1;
                } else {
                    lo = buf[pos++] & 0xff;
                }
                int hi = buf[pos++];
                in[i] = (short) ((hi << 8) | lo);
            }
            if (pos < end) {
                carry = buf[pos] & 0xff;
            }
            samples += n;
            int max = resampler.maxOutput(n);
            if (out.length < max) {
                out = new float[max];
            }
            int m = resampler.process(in, 0, n, out, 0);
            if (m > 0) {
                listener.onAudio(toPcm(out, m));
            }
            return true;
        }

        /** The body ended: the resampler's last {@code delaySamples} are pushed out with silence. */
        @Override
        public void onEnd() {
            int d = resampler.delaySamples();
            if (d > 0 && samples > 0) {
                float[] zeros = new float[d];
                float[] tail = new float[resampler.maxOutput(d)];
                int m = resampler.process(zeros, 0, d, tail, 0);
                if (m > 0) {
                    listener.onAudio(toPcm(tail, m));
                }
            }
        }

        @Override
        public void onComplete() {
            if (samples == 0) {
                listener.onError(new TtsException("the speech endpoint returned no audio for voice " + voice));
                return;
            }
            listener.onComplete();
        }

        @Override
        public void onError(Throwable error) {
            listener.onError(error);
        }

        private byte[] toPcm(float[] s, int n) {
            int ch = format.channels();
            byte[] b = new byte[n * 2 * ch];
            int p = 0;
            for (int i = 0; i < n; i++) {
                int v = Math.round(s[i]);
                short x = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
                for (int c = 0; c < ch; c++) {
                    b[p++] = (byte) x;
                    b[p++] = (byte) (x >> 8);
                }
            }
            return b;
        }
    }

    @Override
    public String toString() {
        return "OpenAiSpeechTts[" + config.baseUri() + ", " + model + ", " + voice + ", " + responseRateHz + " Hz]";
    }
}
