package io.voiceagent.server.api;

import io.voiceagent.core.agent.AgentSession;
import io.voiceagent.core.http.IoExecutors;
import io.voiceagent.core.http.OpenAiConfig;
import io.voiceagent.core.llm.AudioModalitiesClient;
import io.voiceagent.core.llm.OpenAiChatClient;
import io.voiceagent.core.stt.OpenAiTranscriptionClient;
import io.voiceagent.core.tts.EspeakNgConfig;
import io.voiceagent.core.tts.EspeakNgTts;
import io.voiceagent.core.tts.TtsException;
import io.voiceagent.core.vad.VadBatcher;
import io.voiceagent.core.vad.VadOptions;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;

/**
 * Builds an agent's {@link AgentSession.Builder} from its {@link AgentSpec}: an
 * {@link OpenAiChatClient} (or an {@link AudioModalitiesClient} for an LLM that answers with audio),
 * {@link EspeakNgTts}, {@link OpenAiTranscriptionClient} and the VAD V2 config, all on one shared
 * HTTP client, the shared I/O pool and one process-wide {@link VadBatcher}, so a hundred agents cost
 * a hundred small objects rather than a hundred HTTP clients and ONNX sessions.
 *
 * <p>Thread-safe. Owns the batcher it was given ({@link #close()} closes it) and the HTTP client.
 */
public final class SessionFactory implements AutoCloseable {
    private final HttpClient http;
    private final ExecutorService io;
    private final VadBatcher batcher;
    private volatile String espeakProblem; // null = checked and fine; "" = not checked yet

    /**
     * @param batcher scores every agent's VAD windows in batches; closed with this factory
     */
    public SessionFactory(VadBatcher batcher) {
        this.batcher = Objects.requireNonNull(batcher, "batcher");
        this.io = IoExecutors.shared();
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(io)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.espeakProblem = "";
    }

    /** The process-wide VAD batcher (for metrics). */
    public VadBatcher batcher() {
        return batcher;
    }

    /**
     * A session builder with the spec's providers, VAD, interrupt mode, instructions and listened-to
     * users (listeners and name are the caller's to add).
     *
     * @throws ApiException 400 when a provider cannot be built from the spec, 500 when espeak-ng is missing
     */
    public AgentSession.Builder builder(AgentSpec spec) {
        AgentSession.Builder b = AgentSession.builder()
                .vad(VadOptions.defaults().withBatcher(batcher).withConfig(spec.vad()))
                .interruptMode(spec.interruptMode())
                .maxHistoryMessages(spec.llm().maxHistory())
                .instructions(spec.llm().instructions())
                .remoteUsers(spec.remoteUids());
        OpenAiConfig llm = openAi(spec.llm().baseUri(), spec.llm().apiKey(), spec.llm().model(), "properties.llm");
        if (spec.llm().audioOutput()) {
            b.audioLlm(new AudioModalitiesClient(llm, http, io));
        } else {
            b.llm(new OpenAiChatClient(llm, http, io));
        }
        if (spec.tts() != null) {
            b.tts(espeak(spec.tts()));
        }
        if (spec.asr() != null) {
            AgentSpec.Asr a = spec.asr();
            OpenAiConfig c = openAi(a.baseUri(), a.apiKey(),
                    a.model() != null ? a.model() : OpenAiTranscriptionClient.DEFAULT_MODEL, "properties.asr");
            b.stt(new OpenAiTranscriptionClient(c, http, a.language()));
        }
        return b;
    }

    private EspeakNgTts espeak(AgentSpec.Tts t) {
        EspeakNgTts tts = new EspeakNgTts(EspeakNgConfig.builder().voice(t.voice()).wordsPerMinute(t.wordsPerMinute())
                .build(), io);
        String problem = espeakProblem;
        if ("".equals(problem)) {
            try {
                tts.checkInstalled();
                problem = null;
            } catch (TtsException e) {
                problem = e.getMessage();
            }
            espeakProblem = problem;
        }
        if (problem != null) {
            throw ApiException.internal("the tts engine cannot run on this server: " + problem);
        }
        return tts;
    }

    private static OpenAiConfig openAi(java.net.URI base, String apiKey, String model, String field) {
        try {
            OpenAiConfig.Builder c = OpenAiConfig.builder().baseUri(base).apiKey(apiKey);
            if (model != null) {
                c.model(model);
            }
            return c.build();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field, "cannot configure the client: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        batcher.close();
    }
}
