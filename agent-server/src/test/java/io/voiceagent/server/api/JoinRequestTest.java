package io.voiceagent.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voiceagent.core.agent.InterruptMode;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** How a join body in Agora's shape maps onto this project's providers and VAD V2 config. */
class JoinRequestTest {
    private static final String AGORA_STYLE = """
            {"name": "support-42", "properties": {
              "channel": "room-42", "token": "007secret-token", "agent_rtc_uid": "0",
              "remote_rtc_uids": ["1001", "1002"], "idle_timeout": 120, "interrupt_mode": "ASR_ACTIVATION",
              "llm": {"url": "https://llm.example/v1/chat/completions", "api_key": "sk-very-secret",
                      "system_messages": [{"role": "system", "content": "Be brief."}, {"content": "Be kind."}],
                      "greeting_message": "Hi!", "max_history": 12, "params": {"model": "gpt-4o", "max_tokens": 9}},
              "asr": {"language": "de-DE"},
              "tts": {"vendor": "espeak-ng", "params": {"voice": "de", "speed": 150}},
              "vad": {"silence_duration_ms": 640, "prefix_padding_ms": 300, "interrupt_duration_ms": 160,
                      "threshold": 0.6, "stopRmsThreshold": -45},
              "advanced_features": {"enable_aivad": true}}}
            """;

    @Test
    void agoraFieldsMapOntoTheProvidersAndTheVadConfig() {
        JoinRequest r = JoinRequest.parse(AGORA_STYLE);
        AgentSpec s = r.spec();
        assertThat(r.name()).isEqualTo("support-42");
        assertThat(s.channel()).isEqualTo("room-42");
        assertThat(s.token()).isEqualTo("007secret-token");
        assertThat(s.agentUid()).as("0 = the server picks").matches("[1-9][0-9]*").isNotEqualTo("0");
        assertThat(Long.parseLong(s.agentUid())).isLessThanOrEqualTo(0xFFFF_FFFFL);
        assertThat(s.remoteUids()).containsExactlyInAnyOrder("1001", "1002");
        assertThat(s.listensTo("1001")).isTrue();
        assertThat(s.listensTo("1003")).isFalse();
        assertThat(s.idleTimeout().toSeconds()).isEqualTo(120);
        assertThat(s.interruptMode()).isEqualTo(InterruptMode.ASR_ACTIVATION);
        assertThat(s.llm().baseUri()).isEqualTo(URI.create("https://llm.example/v1"));
        assertThat(s.llm().model()).isEqualTo("gpt-4o");
        assertThat(s.llm().instructions()).isEqualTo("Be brief.\nBe kind.");
        assertThat(s.llm().greeting()).isEqualTo("Hi!");
        assertThat(s.llm().maxHistory()).isEqualTo(12);
        assertThat(s.llm().audioOutput()).isFalse();
        assertThat(s.asr().language()).isEqualTo("de");
        assertThat(s.asr().baseUri()).as("the llm's endpoint by default").isEqualTo(s.llm().baseUri());
        assertThat(s.asr().apiKey()).isEqualTo("sk-very-secret");
        assertThat(s.tts()).isEqualTo(new AgentSpec.Tts("de", 150));
        assertThat(s.vad().stopRecognizeCount()).isEqualTo(64);
        assertThat(s.vad().preStartRecognizeCount()).isEqualTo(30);
        assertThat(s.vad().startRecognizeCount()).isEqualTo(16);
        assertThat(s.vad().startVoiceProb()).isEqualTo(60);
        assertThat(s.vad().stopVoiceProb()).isEqualTo(60);
        assertThat(s.vad().stopRmsThreshold()).isEqualTo(-45.0);
        assertThat(r.toString()).doesNotContain("007secret-token").doesNotContain("sk-very-secret");
    }

    @Test
    void theStoredPropertiesRunAgainAsTheSameUser() {
        JoinRequest r = JoinRequest.parse(AGORA_STYLE);
        JoinRequest again = JoinRequest.restore(r.name(), r.propertiesJson());
        assertThat(again.spec().agentUid()).isEqualTo(r.spec().agentUid());
        assertThat(again.spec().token()).isEqualTo("007secret-token");
        assertThat(again.spec().vad()).isEqualTo(r.spec().vad());
        assertThat(JoinRequest.parse(AGORA_STYLE).spec().agentUid()).as("each join picks anew")
                .isNotEqualTo(r.spec().agentUid());
    }

    @Test
    void anAudioLlmNeedsNoTtsOrAsrButStringUidsMustBeEnabledForNames() {
        String body = """
                {"name": "a", "properties": {"channel": "c", "agent_rtc_uid": "agent-7", "enable_string_uid": true,
                 "remote_rtc_uids": ["*"], "llm": {"url": "http://127.0.0.1:9/v1", "output_modalities": ["text", "audio"]}}}
                """;
        AgentSpec s = JoinRequest.parse(body).spec();
        assertThat(s.llm().audioOutput()).isTrue();
        assertThat(s.tts()).isNull();
        assertThat(s.asr()).isNull();
        assertThat(s.remoteUids()).as("* = everyone").isEmpty();
        assertThat(s.agentUid()).isEqualTo("agent-7");
        assertThat(s.idleTimeout()).isEqualTo(AgentSpec.DEFAULT_IDLE_TIMEOUT);
        assertThatThrownBy(() -> JoinRequest.parse(body.replace("\"enable_string_uid\": true", "\"x\": 1")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field())
                        .isEqualTo("properties.agent_rtc_uid"));
        assertThatThrownBy(() -> JoinRequest.parse(body.replace("\"output_modalities\": [\"text\", \"audio\"]",
                "\"greeting_message\": \"hi\", \"output_modalities\": [\"audio\"]")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field())
                        .isEqualTo("properties.llm.greeting_message"));
        assertThatThrownBy(() -> JoinRequest.parse(body.replace("\"enable_string_uid\": true",
                "\"enable_string_uid\": true, \"interrupt_mode\": \"asr_activation\"")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field())
                        .isEqualTo("properties.interrupt_mode"));
    }
}
