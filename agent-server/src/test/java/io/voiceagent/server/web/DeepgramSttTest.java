package io.voiceagent.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.stt.SpeechStream;
import io.voiceagent.core.stt.deepgram.DeepgramConfig;
import io.voiceagent.core.stt.deepgram.DeepgramStt;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link DeepgramStt} (agent-core) against a local stand-in speaking Deepgram's live protocol. */
class DeepgramSttTest {
    private final DeepgramStandIn standIn = new DeepgramStandIn();

    @AfterEach
    void stop() {
        standIn.close();
    }

    private DeepgramStt stt(String key) {
        return new DeepgramStt(DeepgramConfig.of(key).withListenUri(standIn.listenUri())
                .withFinalTimeout(Duration.ofSeconds(5)));
    }

    @Test
    void interimAndFinalResultsBecomePartialsAndTheFinalTranscript() throws Exception {
        List<String> partials = new CopyOnWriteArrayList<>();
        SpeechStream s = stt(DeepgramStandIn.KEY).startStream(PcmFormat.MONO_16K, partials::add);
        byte[] block = new byte[3200]; // 100 ms
        for (int i = 0; i < 14; i++) {
            s.write(block, 0, block.length);
        }
        assertThat(s.finish().get(10, TimeUnit.SECONDS).text()).isEqualTo("hello there how are you");
        // A partial per Results message, the flushed last segment included.
        assertThat(partials).containsExactly("hello", "hello there", "hello there", "hello there how",
                "hello there how are", "hello there how are you");
        assertThat(standIn.queries).hasSize(1);
        assertThat(standIn.queries.get(0)).contains("encoding=linear16").contains("sample_rate=16000")
                .contains("channels=1").contains("interim_results=true").contains("model=nova-3");
        assertThat(standIn.textsReceived).containsExactly("{\"type\":\"CloseStream\"}");
    }

    @Test
    void aWholeUtteranceGoesOverOneConnection() throws Exception {
        assertThat(stt(DeepgramStandIn.KEY).transcribe(new byte[32000 * 2], PcmFormat.of(48000, 1))
                .get(10, TimeUnit.SECONDS).text()).isEqualTo("hello there how are you");
        assertThat(standIn.queries.get(0)).contains("sample_rate=48000");
    }

    @Test
    void aRejectedKeyFailsTheStreamWithoutShowingTheKey() {
        SpeechStream s = stt("wrong-secret").startStream(PcmFormat.MONO_16K, t -> { });
        s.write(new byte[320], 0, 320);
        assertThatThrownBy(() -> s.finish().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("Deepgram live connection").satisfies(e ->
                        assertThat(String.valueOf(e.getMessage()) + e.getCause()).doesNotContain("wrong-secret"));
    }

    @Test
    void aServerErrorCloseFailsTheStream() {
        standIn.failOnClose = true;
        SpeechStream s = stt(DeepgramStandIn.KEY).startStream(PcmFormat.MONO_16K, t -> { });
        s.write(new byte[3200], 0, 3200);
        assertThatThrownBy(() -> s.finish().get(10, TimeUnit.SECONDS)).hasMessageContaining("1011")
                .hasMessageContaining("stand-in failure");
    }

    @Test
    void configurationIsValidatedAndNeverPrintsTheKey() {
        assertThatThrownBy(() -> DeepgramConfig.fromEnvironment(Map.of(), null)).hasMessageContaining("apiKey")
                .hasMessageContaining("DEEPGRAM_API_KEY");
        assertThatThrownBy(() -> DeepgramConfig.of("k").withListenUri(java.net.URI.create("http://x/v1/listen")))
                .hasMessageContaining("ws://");
        DeepgramConfig c = DeepgramConfig.fromEnvironment(Map.of("DEEPGRAM_API_KEY", "s3cret", "DEEPGRAM_MODEL", "nova-2"),
                "en");
        assertThat(c.model()).isEqualTo("nova-2");
        assertThat(c.toString()).doesNotContain("s3cret");
        assertThat(new DeepgramStt(c).toString()).doesNotContain("s3cret");
    }
}
