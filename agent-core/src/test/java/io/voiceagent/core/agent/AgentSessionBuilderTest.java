package io.voiceagent.core.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voiceagent.testing.FakeClock;
import io.voiceagent.testing.ScriptedAudioLlm;
import io.voiceagent.testing.ScriptedChat;
import io.voiceagent.testing.ScriptedStt;
import io.voiceagent.testing.ScriptedTts;
import io.voiceagent.testing.Scheduler;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What {@link AgentSession.Builder#build()} and {@link AgentSession#start} refuse, and how they say it. */
class AgentSessionBuilderTest {
    private final Scheduler now = Scheduler.immediate();
    private final ScriptedChat llm = ScriptedChat.replying(now, Duration.ZERO, Duration.ZERO, "hi");
    private final ScriptedTts tts = ScriptedTts.fixed(now, Duration.ZERO, Duration.ZERO, Duration.ofMillis(100));
    private final ScriptedStt stt = new ScriptedStt(now, Duration.ZERO, "hello");
    private final ScriptedAudioLlm audioLlm = new ScriptedAudioLlm(now, Duration.ZERO, Duration.ZERO, "x", new byte[0], 1);

    @Test
    void chatThenSpeechNeedsTtsAndStt() {
        assertThatThrownBy(() -> AgentSession.builder().llm(llm).stt(stt).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("tts must be set");
        assertThatThrownBy(() -> AgentSession.builder().llm(llm).tts(tts).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("stt must be set")
                .hasMessageContaining("chat-then-speech");
        assertThat(AgentSession.builder().llm(llm).tts(tts).stt(stt).build().state()).isEqualTo(AgentSession.State.NEW);
    }

    @Test
    void asrActivationNeedsStt() {
        assertThatThrownBy(() -> AgentSession.builder().audioLlm(audioLlm).interruptMode(InterruptMode.ASR_ACTIVATION)
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("stt must be set")
                .hasMessageContaining("ASR_ACTIVATION");
        assertThat(AgentSession.builder().audioLlm(audioLlm).stt(stt).interruptMode(InterruptMode.ASR_ACTIVATION)
                .build()).isNotNull();
    }

    @Test
    void somethingToAnswerWithExactlyOnce() {
        assertThatThrownBy(() -> AgentSession.builder().stt(stt).tts(tts).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("llm or audioLlm must be set");
        assertThatThrownBy(() -> AgentSession.builder().llm(llm).tts(tts).stt(stt).audioLlm(audioLlm).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exclusive");
    }

    @Test
    void rangesNameTheParameterAndTheValue() {
        assertThatThrownBy(() -> AgentSession.builder().audioLlm(audioLlm).minInterruptLetters(0).build())
                .hasMessage("minInterruptLetters must be in 1..100; got 0");
        assertThatThrownBy(() -> AgentSession.builder().audioLlm(audioLlm).maxHistoryMessages(0).build())
                .hasMessage("maxHistoryMessages must be in 1..10000; got 0");
        assertThatThrownBy(() -> AgentSession.builder().audioLlm(audioLlm).maxQueuedFrames(100_001).build())
                .hasMessage("maxQueuedFrames must be in 1..100000; got 100001");
        assertThatThrownBy(() -> AgentSession.builder().remoteUsers(Set.of("a", ""))).hasMessageContaining("remoteUsers");
        assertThatThrownBy(() -> AgentSession.builder().name(" ").audioLlm(audioLlm).build()).hasMessageContaining("name");
    }

    @Test
    void sayNeedsATtsAndTextMustNotBeBlank() {
        FakeClock clock = new FakeClock();
        InMemoryTransport t = clock.transport("t", (d, o, l, f) -> { });
        AgentSession s = AgentSession.builder().audioLlm(audioLlm).build().start(t);
        assertThatThrownBy(() -> s.say("hello")).isInstanceOf(IllegalStateException.class).hasMessageContaining("tts");
        assertThatThrownBy(() -> s.sendText("  ")).hasMessage("text must be a non-blank text; got '  '");
        assertThatThrownBy(() -> s.sendText(null)).hasMessage("text must be a non-blank text; got null");
        clock.close(s);
    }

    @Test
    void aSessionStartsOnceAndAFailedStartReleasesTheTransport() {
        FakeClock clock = new FakeClock();
        AgentSession s = AgentSession.builder().audioLlm(audioLlm).build();
        InMemoryTransport used = clock.transport("used", (d, o, l, f) -> { });
        used.start(new AgentInput() {
            public void audioFrame(String userId, io.voiceagent.core.audio.AudioFrame frame) { }

            public void userLeft(String userId) { }
        });
        assertThatThrownBy(() -> s.start(used)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already started");
        assertThat(used.isClosed()).as("the session owned the transport from start on").isTrue();
        assertThat(s.state()).isEqualTo(AgentSession.State.CLOSED);
        assertThatThrownBy(() -> s.start(clock.transport("again", (d, o, l, f) -> { })))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("a session starts once");
    }
}
