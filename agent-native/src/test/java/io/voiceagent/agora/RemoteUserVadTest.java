package io.voiceagent.agora;

import io.voiceagent.core.vad.VadOptions;
import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.vad.VadBatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Recorded speech with labelled pauses crosses the loopback library from a simulated user to an
 * agent whose per-user VAD must report one turn per labelled utterance, on the connection's
 * executor, and release the user's detector when the user leaves.
 */
@ExtendWith(NativeLeakExtension.class)
class RemoteUserVadTest {
    private static final Path FIXTURE = Path.of("..", "test_data", "real_gaps_16k_1ch.pcm");
    private static final Path LABELS = Path.of("..", "test_data", "real_gaps_16k_1ch.labels");

    @ParameterizedTest(name = "batched={0}")
    @ValueSource(booleans = {false, true})
    void turnsOfARemoteUserMatchTheLabels(boolean batched) throws Exception {
        byte[] speech = Files.readAllBytes(FIXTURE);
        List<long[]> labels = new ArrayList<>();
        for (String line : Files.readAllLines(LABELS)) {
            String[] p = line.trim().split("\\s+");
            labels.add(new long[] {Long.parseLong(p[0]), Long.parseLong(p[1])});
        }
        int frameBytes = PcmFormat.MONO_16K.bytesPerFrame();
        int whole = speech.length / frameBytes * frameBytes;
        List<String> events = new CopyOnWriteArrayList<>();
        List<long[]> segments = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        AgoraService s = TestNative.service();
        String channel = TestNative.channel("vad");
        try (VadBatcher batcher = batched ? VadBatcher.withDefaults() : null;
                RtcConnection agent = s.createConnection();
                RtcConnection user = s.createConnection();
                LocalAudioTrack track = s.createAudioTrack(AudioTrackOptions.defaults()
                        .withMaxBufferedFrames(whole / frameBytes))) {
            VadOptions options = batched ? VadOptions.defaults().withBatcher(batcher) : VadOptions.defaults();
            agent.localUser().enableVad(options, new SpeechListener() {
                @Override
                public void speechStarted(RtcConnection c, String userId, io.voiceagent.core.vad.VadResult start) {
                    events.add("start:" + userId);
                    threads.add(Thread.currentThread().getName());
                }

                @Override
                public void speechEnded(RtcConnection c, String userId, byte[] audio, long startMs, long endMs) {
                    events.add("end:" + userId);
                    segments.add(new long[] {startMs, endMs, audio.length});
                }
            });
            agent.connect("", channel, "agent");
            user.connect("", channel, "caller");
            user.localUser().publishAudio(track);
            track.sender().send(java.util.Arrays.copyOf(speech, whole), PcmFormat.MONO_16K);
            long expectedMs = whole / frameBytes * 10L;
            assertThat(TestNative.await(() -> segments.size() >= labels.size(), Duration.ofMillis(expectedMs + 5000)))
                    .as("segments %s", events).isTrue();
            assertThat(events).hasSize(2 * labels.size());
            for (int i = 0; i < labels.size(); i++) {
                assertThat(events.get(2 * i)).isEqualTo("start:caller");
                assertThat(events.get(2 * i + 1)).isEqualTo("end:caller");
                long[] seg = segments.get(i);
                assertThat(seg[0]).as("start of segment %d", i).isBetween(labels.get(i)[0] - 150, labels.get(i)[0] + 150);
                assertThat(seg[1]).as("end of segment %d", i).isBetween(labels.get(i)[1] - 150,
                        labels.get(i)[1] + 50 * 10 + 150);
                assertThat(seg[2]).as("audio of segment %d covers the speech", i)
                        .isGreaterThanOrEqualTo((seg[1] - seg[0]) * 32);
            }
            assertThat(threads).allSatisfy(t -> assertThat(t).startsWith("agora-events-"));
            assertThat(agent.vadUsers()).isEqualTo(1);
            user.disconnect();
            assertThat(TestNative.await(() -> agent.vadUsers() == 0, Duration.ofSeconds(2)))
                    .as("the detector of a user who left is released").isTrue();
        }
    }
}
