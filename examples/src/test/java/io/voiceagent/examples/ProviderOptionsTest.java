package io.voiceagent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Provider choices of {@code web} and {@code voice-agent} that cannot work are bad input naming the option. */
class ProviderOptionsTest {

    private static void assertBadInput(Jvm.Run r, String... parts) {
        assertThat(r.exitCode()).as("exit status; stderr: %s", r.err()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0)).contains(parts);
    }

    @Test
    void anLlmUrlThatIsNotHttpIsNamed() throws Exception {
        assertBadInput(Jvm.run("voice-agent", "--channel", "c", "--llm-url", "ftp://127.0.0.1/v1"), "--llm-url",
                "ftp://127.0.0.1/v1", "http://");
    }

    @Test
    void deepgramWithoutAKeyIsNamed() throws Exception {
        assertBadInput(Jvm.run("web", "--port", "0", "--stt", "deepgram"), "--stt", "deepgram", "DEEPGRAM_API_KEY");
    }

    @Test
    void aSampleRateTheSessionCannotFrameIsNamed() throws Exception {
        assertBadInput(Jvm.run("web", "--port", "0", "--sample-rate", "12345"), "--sample-rate", "12345");
    }

    /** Runs the CLI with {@code env} added to the environment; stdout and stderr merged. */
    private static String runWith(Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(List.of("-Dagora.native.library=loopback"),
                AgentCli.class, args)).redirectErrorStream(true);
        pb.environment().remove("OPENAI_API_KEY");
        pb.environment().remove("OPENAI_BASE_URL");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void webIsOfflineWithoutKeysAndUsesTheConfiguredOpenAiCompatibleLlm() throws Exception {
        assertThat(runWith(Map.of(), "web", "--port", "0", "--seconds", "1"))
                .contains("STT pocketsphinx -> echo responder -> espeak-ng");
        // A local Ollama needs no key: the base URL alone makes the LLM real (nothing is called until a turn).
        assertThat(runWith(Map.of("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1", "OPENAI_MODEL", "llama3.2"), "web",
                "--port", "0", "--seconds", "1")).contains("LLM llama3.2 at http://127.0.0.1:11434/v1");
    }

    @Test
    void voiceAgentSendsTurnsToAnExternalAudioModalitiesLlm() throws Exception {
        String out = runWith(Map.of(), "voice-agent", "--channel", "llm-url-" + ProcessHandle.current().pid(),
                "--seconds", "1", "--llm-url", "http://127.0.0.1:9/v1", "--stt", "pocketsphinx");
        assertThat(out).contains("voice agent ready on channel", "STT pocketsphinx -> audio-modalities LLM "
                + "http://127.0.0.1:9/v1", "released");
    }
}
