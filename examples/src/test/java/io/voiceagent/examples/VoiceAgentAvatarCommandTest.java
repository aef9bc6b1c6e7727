package io.voiceagent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.AgoraServiceConfig;
import io.voiceagent.agora.AudioTrackOptions;
import io.voiceagent.agora.LocalAudioTrack;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.video.VideoFrameListener;
import io.voiceagent.agora.video.VideoReceiver;
import io.voiceagent.core.audio.PcmFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three processes on the loopback library: {@code avatar} (the worker), {@code voice-agent --avatar}
 * (offline answers streamed to the worker) and a user in this JVM. The user hears the answer from
 * the avatar (not from the agent, which publishes nothing), sees its face, barges in, and the agent
 * reports the worker's {@code interrupted: true} ack.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class VoiceAgentAvatarCommandTest {
    private static final PcmFormat F = PcmFormat.MONO_16K;

    @Test
    void theAgentSpeaksThroughTheAvatarWorkerAndGetsTheInterruptedAck() throws Exception {
        byte[] speech = Files.readAllBytes(Path.of("..", "test_data", "real_gaps_16k_1ch.pcm"));
        String channel = "avatar-cli-" + ProcessHandle.current().pid();
        Process avatar = Jvm.agent("avatar", "--channel", channel, "--port", "0", "--seconds", "60");
        Process agent = null;
        try {
            String banner = Jvm.readUntil(avatar, "avatar ready");
            Matcher m = Pattern.compile("agent WebSocket (ws://\\S+)").matcher(banner);
            assertThat(m.find()).as(banner).isTrue();
            agent = Jvm.agent("voice-agent", "--channel", channel, "--seconds", "50", "--avatar", m.group(1),
                    "--answer-pcm", Path.of("..", "test_data", "hello_16k_1ch.pcm").toString(), "--answer-text",
                    "Offline answer.");
            Jvm.Output out = Jvm.drain(agent, "voice-agent-output");
            ConcurrentHashMap<String, AtomicLong> heard = new ConcurrentHashMap<>();
            AtomicLong videoFrames = new AtomicLong();
            try (AgoraService service = AgoraService.create(AgoraServiceConfig.builder()
                        .appId(ConnectionOptions.LOOPBACK_APP_ID).enableVideo(true).build());
                    RtcConnection user = service.createConnection();
                    LocalAudioTrack track = service.createAudioTrack(AudioTrackOptions.defaults()
                            .withMaxBufferedFrames(1000))) {
                assertThat(Jvm.await(() -> out.indexOf("voice agent ready") >= 0, 30_000)).as("%s", out).isTrue();
                user.localUser().setRemoteAudioListener((c, from, frame) ->
                        heard.computeIfAbsent(from, k -> new AtomicLong()).incrementAndGet());
                VideoReceiver.open(user, new VideoFrameListener() {
                    @Override
                    public void onFrame(RtcConnection c, io.voiceagent.agora.video.ReceivedVideoFrame f) {
                        videoFrames.incrementAndGet();
                    }
                });
                user.connect("", channel, "caller");
                user.localUser().publishAudio(track);
                track.sender().send(Arrays.copyOfRange(speech, (int) F.bytesFor(1200), (int) F.bytesFor(3300)), F);
                assertThat(Jvm.await(() -> heard.containsKey("avatar") && heard.get("avatar").get() >= 60, 15_000))
                        .as("the answer reached the user through the avatar: %s", out).isTrue();
                assertThat(videoFrames.get()).as("the avatar's face").isGreaterThan(20);
                track.sender().send(Arrays.copyOfRange(speech, (int) F.bytesFor(3500), (int) F.bytesFor(5700)), F);
                assertThat(Jvm.await(() -> out.indexOf("playback_ended id=1") >= 0, 15_000)).as("%s", out).isTrue();
                assertThat(heard).as("the agent itself publishes no audio").doesNotContainKey("agent");
            }
            new ProcessBuilder("kill", "-TERM", Long.toString(agent.pid())).inheritIO().start().waitFor();
            assertThat(agent.waitFor(15, TimeUnit.SECONDS)).isTrue();
            out.join(5000);
            String log = out.toString();
            assertThat(agent.exitValue()).as(log).isZero();
            assertThat(log).contains("interrupted id=1 trigger=VOICE_ACTIVATION").containsPattern(
                    "playback_ended id=1 played_ms=\\d+ interrupted=true");
        } finally {
            if (agent != null) {
                agent.destroyForcibly();
            }
            avatar.destroyForcibly();
        }
    }
}
