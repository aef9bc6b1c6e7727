package io.voiceagent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.AgoraServiceConfig;
import io.voiceagent.agora.AudioTrackOptions;
import io.voiceagent.agora.LocalAudioTrack;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.core.audio.PcmFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code voice-agent} in a second JVM (offline: its own audio-modalities server), a simulated user
 * in this one, across processes on the loopback library: the user's first utterance gets an answer
 * the user hears, the second one interrupts it and opens round 2, and SIGTERM ends the agent with 0.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VoiceAgentCommandTest {
    private static final PcmFormat F = PcmFormat.MONO_16K;

    @Test
    void offlineAgentAnswersAndIsInterruptedByBargeIn() throws Exception {
        byte[] speech = Files.readAllBytes(Path.of("..", "test_data", "real_gaps_16k_1ch.pcm"));
        String channel = "voice-agent-cli-" + ProcessHandle.current().pid();
        Process agent = Jvm.agent("voice-agent", "--channel", channel, "--seconds", "40", "--answer-pcm",
                Path.of("..", "test_data", "hello_16k_1ch.pcm").toString(), "--answer-text", "Offline answer.");
        Jvm.Output out = Jvm.drain(agent, "voice-agent-output");
        AtomicLong heard = new AtomicLong();
        try (AgoraService service = AgoraService.create(AgoraServiceConfig.builder().appId(ConnectionOptions.LOOPBACK_APP_ID)
                    .build());
                RtcConnection user = service.createConnection();
                LocalAudioTrack track = service.createAudioTrack(AudioTrackOptions.defaults().withMaxBufferedFrames(1000))) {
            assertThat(Jvm.await(() -> out.indexOf("voice agent ready") >= 0, 20_000)).as("%s", out).isTrue();
            user.localUser().setRemoteAudioListener((c, from, frame) -> heard.incrementAndGet());
            user.connect("", channel, "caller");
            user.localUser().publishAudio(track);
            track.sender().send(Arrays.copyOfRange(speech, (int) F.bytesFor(1200), (int) F.bytesFor(3300)), F);
            assertThat(Jvm.await(() -> heard.get() >= 60, 20_000)).as("the answer reached the user: %s", out).isTrue();
            track.sender().send(Arrays.copyOfRange(speech, (int) F.bytesFor(3500), (int) F.bytesFor(5700)), F);
            assertThat(Jvm.await(() -> out.indexOf("round_started id=2") >= 0, 20_000)).as("%s", out).isTrue();
        }
        // SIGTERM through kill(1): Process.destroy() would also close our end of the output pipe.
        new ProcessBuilder("kill", "-TERM", Long.toString(agent.pid())).inheritIO().start().waitFor();
        assertThat(agent.waitFor(15, TimeUnit.SECONDS)).isTrue();
        out.join(5000);
        String log = out.toString();
        agent.destroyForcibly();
        assertThat(agent.exitValue()).as(log).isZero();
        assertThat(log).contains("user_speech_started user=caller", "round_started id=1",
                "interrupted id=1 trigger=VOICE_ACTIVATION", "round_ended id=1 reason=INTERRUPTED trigger=VOICE_ACTIVATION",
                "agent_answer id=1 text=\"Offline", "round_started id=2", "released");
        assertThat(log).containsPattern("round_ended id=1 .* first_audio_ms=\\d+ first_frame_sent_ms=\\d+");
        assertThat(log.indexOf("round_started id=1")).isLessThan(log.indexOf("interrupted id=1"));
    }
}
