package io.voiceagent.agora;

import io.voiceagent.testing.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.audio.PcmFormat;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two processes on one machine exchange audio through the loopback library, byte for byte. */
@ExtendWith(NativeLeakExtension.class)
class TwoProcessAudioTest {

    @Test
    void audioCrossesProcessesByteExactly() throws Exception {
        String channel = TestNative.channel("xproc");
        int frames = 120;
        AudioExchangeTest.Collector collector = new AudioExchangeTest.Collector("peer");
        List<String> joined = new CopyOnWriteArrayList<>();
        Process child = ChildJvm.start(List.of("-Dagora.native.library=loopback"), LoopbackPeer.class,
                TestNative.APP_ID, channel, "peer", "99", Integer.toString(frames));
        try (RtcConnection conn = TestNative.service().createConnection()) {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            StringBuilder log = new StringBuilder();
            while ((line = out.readLine()) != null && !line.equals("READY")) {
                log.append(line).append('\n');
            }
            assertThat(line).as("child output:\n%s", log).isEqualTo("READY");
            conn.addListener(new RtcConnectionListener() {
                @Override
                public void onUserJoined(RtcConnection c, String userId) {
                    joined.add(userId);
                }
            });
            conn.localUser().setRemoteAudioListener(collector);
            conn.connect("", channel, "parent");
            assertThat(TestNative.await(() -> joined.contains("peer"), Duration.ofSeconds(3))).isTrue();
            Writer in = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
            in.write("GO\n");
            in.flush();
            assertThat(TestNative.await(() -> collector.frames >= frames, Duration.ofSeconds(10)))
                    .as("frames received from the other process: %d", collector.frames).isTrue();
            assertThat(collector.received()).isEqualTo(TestNative.pcm(99, PcmFormat.MONO_16K.bytesPerFrame() * frames));
            in.write("BYE\n");
            in.flush();
            StringBuilder rest = new StringBuilder();
            while ((line = out.readLine()) != null) {
                rest.append(line).append('\n');
            }
            ChildJvm.Result r = ChildJvm.await(child, Duration.ofSeconds(20));
            assertThat(r.exitCode()).as("child output:\n%s", rest).isZero();
            assertThat(rest.toString()).contains("SENT " + frames + " true", "LIVE_CONNECTIONS 0",
                    "ORDER_VIOLATIONS 0", "DONE");
        } finally {
            child.destroyForcibly();
        }
    }
}
