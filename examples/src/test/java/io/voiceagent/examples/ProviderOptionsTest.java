package io.voiceagent.examples;

import static org.assertj.core.api.Assertions.assertThat;

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
}
