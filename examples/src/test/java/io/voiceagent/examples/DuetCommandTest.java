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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code duet} in a second JVM (offline: scripted responders, espeak-ng, PocketSphinx) with both
 * agents on leases of one pool, and in this JVM a listener and a caller in the same channel on the
 * loopback library. On the wire: the agents' audio comes in alternating runs that never interleave;
 * the caller's voice cuts the speaking agent off (its audio stops, at most 300 ms of it after the cut)
 * and the other agent takes the next turn; SIGTERM ends the duet with 0.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DuetCommandTest {
    private static final PcmFormat F = PcmFormat.MONO_16K;

    /** One 10 ms frame heard by the listener: who sent it, when it arrived. */
    private record Heard(String from, long atNanos) {}

    @Test
    void twoAgentsAlternateOnTheWireAndAVoiceInTheChannelCutsTheSpeakerOff() throws Exception {
        byte[] speech = Files.readAllBytes(Path.of("..", "test_data", "real_gaps_16k_1ch.pcm"));
        String channel = "duet-cli-" + ProcessHandle.current().pid();
        Process duet = Jvm.agent("duet", "--channel", channel, "--seconds", "60", "--max-turns", "8");
        Jvm.Output out = Jvm.drain(duet, "duet-output");
        List<Heard> heard = new ArrayList<>();
        long stopSeenAt;
        try (AgoraService service = AgoraService.create(AgoraServiceConfig.builder().appId(ConnectionOptions.LOOPBACK_APP_ID)
                    .build());
                RtcConnection listener = service.createConnection();
                RtcConnection caller = service.createConnection();
                LocalAudioTrack track = service.createAudioTrack(AudioTrackOptions.defaults().withMaxBufferedFrames(1000))) {
            assertThat(Jvm.await(() -> out.indexOf("duet ready") >= 0, 30_000)).as("%s", out).isTrue();
            listener.localUser().setRemoteAudioListener((c, from, frame) -> {
                if (!from.startsWith("duet-")) {
                    return; // the caller
                }
                synchronized (heard) {
                    heard.add(new Heard(from, System.nanoTime()));
                }
            });
            listener.connect("", channel, "listener");
            caller.connect("", channel, "caller");
            caller.localUser().publishAudio(track);
            // B is talking (turn 2): the caller speaks.
            assertThat(Jvm.await(() -> count(heard, "duet-b") >= 30, 40_000)).as("B spoke: %s", out).isTrue();
            track.sender().send(Arrays.copyOfRange(speech, (int) F.bytesFor(1200), (int) F.bytesFor(3300)), F);
            assertThat(Jvm.await(() -> out.indexOf("stop_audio turn=2 agent=B") >= 0, 20_000)).as("%s", out).isTrue();
            stopSeenAt = System.nanoTime();
            assertThat(Jvm.await(() -> out.indexOf("turn_started turn=3 agent=A") >= 0, 20_000)).as("%s", out).isTrue();
            assertThat(Jvm.await(() -> lastFrom(heard).equals("duet-a"), 20_000)).as("A spoke again: %s", out).isTrue();
        }
        new ProcessBuilder("kill", "-TERM", Long.toString(duet.pid())).inheritIO().start().waitFor();
        assertThat(duet.waitFor(20, TimeUnit.SECONDS)).isTrue();
        out.join(5000);
        String log = out.toString();
        duet.destroyForcibly();
        assertThat(duet.exitValue()).as(log).isZero();
        assertThat(log).contains("turn_started turn=1 agent=A name=Alex lang=en voice=en-us",
                "turn_started turn=2 agent=B name=Sofía lang=es voice=es", "user_speech_started", "released");
        assertThat(log.indexOf("user_speech_started")).isLessThan(log.indexOf("turn_started turn=3"));

        List<List<Heard>> runs = runs(heard);
        // A, B (cut by the caller), then A again: runs of one agent at a time, never interleaved.
        assertThat(runs.size()).as("runs %s", sizes(runs)).isGreaterThanOrEqualTo(3);
        for (int i = 0; i < runs.size(); i++) {
            assertThat(runs.get(i).get(0).from()).as("run %d of %s", i, sizes(runs))
                    .isEqualTo(i % 2 == 0 ? "duet-a" : "duet-b");
        }
        assertThat(runs.get(0).size()).as("A's first turn was heard whole: %s", sizes(runs)).isGreaterThan(100);
        // The cut: at most 300 ms of B's audio arrived after the duet reported it.
        long late = runs.get(1).stream().filter(h -> h.atNanos() > stopSeenAt).count();
        assertThat(late).as("B's frames after the cut").isLessThanOrEqualTo(30);
    }

    private static long count(List<Heard> heard, String from) {
        synchronized (heard) {
            return heard.stream().filter(h -> h.from().equals(from)).count();
        }
    }

    private static String lastFrom(List<Heard> heard) {
        synchronized (heard) {
            return heard.isEmpty() ? "" : heard.get(heard.size() - 1).from();
        }
    }

    private static List<List<Heard>> runs(List<Heard> heard) {
        List<List<Heard>> runs = new ArrayList<>();
        synchronized (heard) {
            for (Heard h : heard) {
                if (runs.isEmpty() || !runs.get(runs.size() - 1).get(0).from().equals(h.from())) {
                    runs.add(new ArrayList<>());
                }
                runs.get(runs.size() - 1).add(h);
            }
        }
        return runs;
    }

    private static List<String> sizes(List<List<Heard>> runs) {
        return runs.stream().map(r -> r.get(0).from() + ":" + r.size()).toList();
    }
}
