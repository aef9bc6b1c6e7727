package io.voiceagent.server.avatar;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.agora.AgoraService;
import io.voiceagent.server.TestService;
import io.voiceagent.agora.DataStream;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.agent.AgoraTransport;
import io.voiceagent.agora.loopback.LoopbackDiagnostics;
import io.voiceagent.agora.video.ColorSpace;
import io.voiceagent.agora.video.ReceivedVideoFrame;
import io.voiceagent.agora.video.VideoFrameListener;
import io.voiceagent.agora.video.VideoReceiver;
import io.voiceagent.core.agent.AgentSession;
import io.voiceagent.core.agent.AgentSessionListener;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.avatar.AvatarAudioOut;
import io.voiceagent.core.avatar.AvatarTransport;
import io.voiceagent.core.http.StreamCall;
import io.voiceagent.core.llm.ChatClient;
import io.voiceagent.core.tts.TextToSpeech;
import io.voiceagent.core.tts.TtsListener;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Agent -> avatar worker -> channel on the loopback library, in real time: a session speaks through
 * {@link AvatarAudioOut} over a real WebSocket, the worker publishes the speech and a face, a user's
 * connection hears and sees it; barge-in silences the avatar and the agent gets
 * {@code interrupted: true} with the position the user heard.
 */
class AvatarWorkerEndToEndTest {
    private static AgoraService service;
    private static long handlesBefore;
    private static long violationsBefore;
    private static int channels;

    @BeforeAll
    static void startService() {
        service = TestService.get(); // the JVM's one service, shared with the other agent-server tests
        handlesBefore = LoopbackDiagnostics.liveHandles();
        violationsBefore = LoopbackDiagnostics.orderViolations();
    }

    @AfterAll
    static void checkNothingLeaked() {
        assertThat(LoopbackDiagnostics.liveHandles()).as("native handles left by this class").isEqualTo(handlesBefore);
        assertThat(LoopbackDiagnostics.orderViolations()).as("release-order violations").isEqualTo(violationsBefore);
    }

    private static String channel() {
        return "avatar-" + ProcessHandle.current().pid() + "-" + (++channels);
    }

    static boolean await(BooleanSupplier c, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return c.getAsBoolean();
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** A TTS that answers every text with 20 ms per character of a loud 300 Hz tone, at once. */
    static final class ToneTts implements TextToSpeech {
        @Override
        public StreamCall synthesize(String text, PcmFormat format, TtsListener listener) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            int samples = format.sampleRateHz() / 1000 * 20 * text.length();
            byte[] pcm = new byte[samples * 2];
            for (int i = 0; i < samples; i++) {
                short v = (short) (12000 * Math.sin(2 * Math.PI * 300 * i / format.sampleRateHz()));
                pcm[2 * i] = (byte) v;
                pcm[2 * i + 1] = (byte) (v >> 8);
            }
            CompletableFuture.runAsync(() -> {
                listener.onAudio(pcm);
                listener.onComplete();
                done.complete(null);
            });
            return new StreamCall() {
                @Override
                public void cancel() {
                    done.cancel(false);
                }

                @Override
                public boolean isCancelled() {
                    return done.isCancelled();
                }

                @Override
                public CompletableFuture<Void> completion() {
                    return done;
                }
            };
        }
    }

    /** The user's side: what arrives from the avatar, with arrival times. */
    static final class User implements VideoFrameListener {
        final List<Long> audioAt = new CopyOnWriteArrayList<>();
        final List<ReceivedVideoFrame> video = new CopyOnWriteArrayList<>();
        final List<Long> videoAt = new CopyOnWriteArrayList<>();

        @Override
        public void onFrame(RtcConnection c, ReceivedVideoFrame f) {
            video.add(f);
            videoAt.add(System.nanoTime());
        }

        int mouth(int i) {
            String m = new String(video.get(i).metadata(), StandardCharsets.US_ASCII);
            return Integer.parseInt(m.substring(2, m.indexOf(';')));
        }
    }

    private static final ChatClient NO_LLM = (messages, listener) -> {
        throw new IllegalStateException("this test only says things");
    };

    /** Mean luma of the mouth's box: the open mouth is dark. */
    private static double mouthLuma(ReceivedVideoFrame f, int[] box) {
        long sum = 0;
        for (int y = box[1]; y < box[1] + box[3]; y++) {
            for (int x = box[0]; x < box[0] + box[2]; x++) {
                sum += f.luma(x, y);
            }
        }
        return sum / (double) (box[2] * box[3]);
    }

    @Test
    void theAgentSpeaksThroughTheAvatarAndBargeInSilencesItWithAnInterruptedAck() throws Exception {
        String channel = channel();
        List<String> playback = new CopyOnWriteArrayList<>();
        User user = new User();
        try (AvatarWorker avatar = AvatarWorker.start(service, AvatarWorkerConfig.builder(channel).build());
                RtcConnection userConn = service.createConnection()) {
            userConn.localUser().setRemoteAudioListener((c, from, frame) -> {
                if (from.equals("avatar")) {
                    user.audioAt.add(System.nanoTime());
                }
            });
            userConn.connect("", channel, "user");
            VideoReceiver video = VideoReceiver.open(userConn, user);
            AvatarAudioOut out = AvatarAudioOut.connect(avatar.webSocketUri(), service.audioPacer());
            assertThat(await(avatar::hasAgent, Duration.ofSeconds(2))).isTrue();
            AgentSession session = AgentSession.builder().llm(NO_LLM).stt((pcm, f) -> new CompletableFuture<>())
                    .tts(new ToneTts()).listener(new AgentSessionListener() {
                        @Override
                        public void agentPlaybackEnded(long roundId, Duration played, boolean interrupted) {
                            playback.add(roundId + " " + played.toMillis() + " " + interrupted);
                        }
                    }).build()
                    .start(AvatarTransport.wrap(AgoraTransport.join(service, "", channel, "agent"), out));
            try {
                // The face is drawn before anyone speaks: 25 fps, mouth closed.
                assertThat(await(() -> user.video.size() >= 10, Duration.ofSeconds(3))).isTrue();
                assertThat(user.mouth(user.video.size() - 1)).isZero();
                double closedLuma = mouthLuma(user.video.get(user.video.size() - 1), avatar.renderer().mouthRegion());
                int[] bg = {user.video.get(0).toArgb(ColorSpace.BT709_FULL)[0]};
                assertThat(bg[0] & 0xffffff).as("the solid background arrives as sent").satisfies(c -> {
                    assertThat(Math.abs((c >> 16 & 0xff) - 0x00)).isLessThanOrEqualTo(3);
                    assertThat(Math.abs((c >> 8 & 0xff) - 0xB1)).isLessThanOrEqualTo(3);
                    assertThat(Math.abs((c & 0xff) - 0x40)).isLessThanOrEqualTo(3);
                });

                session.say("This answer is long enough to be cut off by the user halfway through.");  // 1.4 s
                assertThat(await(() -> user.audioAt.size() >= 50, Duration.ofSeconds(3))).isTrue();
                int openFrame = -1;
                for (int i = 0; i < user.video.size(); i++) {
                    if (user.mouth(i) > 300) {
                        openFrame = i;
                    }
                }
                assertThat(openFrame).as("the mouth opens while the avatar speaks").isNotNegative();
                assertThat(mouthLuma(user.video.get(openFrame), avatar.renderer().mouthRegion()))
                        .as("an open mouth is darker than a closed one").isLessThan(closedLuma - 20);

                long interruptAt = System.nanoTime();
                assertThat(session.interrupt().get(2, TimeUnit.SECONDS)).isTrue();
                assertThat(await(() -> playback.size() == 1, Duration.ofSeconds(2))).isTrue();
                Thread.sleep(400);
                long heardAfter = user.audioAt.stream().filter(t -> t - interruptAt > 250_000_000L).count();
                assertThat(heardAfter).as("audio frames the user heard more than 250 ms after the interrupt").isZero();
                String[] p = playback.get(0).split(" ");
                assertThat(p[0]).isEqualTo("1");
                assertThat(p[2]).isEqualTo("true");
                long heardMs = user.audioAt.size() * 10L;
                assertThat(Math.abs(Long.parseLong(p[1]) - heardMs)).as("ack %s ms vs %s ms heard", p[1], heardMs)
                        .isLessThanOrEqualTo(20);
                assertThat(heardMs).isBetween(400L, 1300L);
                assertThat(user.mouth(user.video.size() - 1)).as("silent again: mouth closed").isZero();
                assertThat(avatar.audioIn().stats().interrupts()).isEqualTo(1);
                assertThat(out.interruptsSent()).isEqualTo(1);
            } finally {
                session.close();
                video.close();
            }
        }
    }

    @Test
    void controlMessagesAlsoComeOverTheDataStreamAndGarbageChangesNothing() throws Exception {
        String channel = channel();
        List<String> acks = new CopyOnWriteArrayList<>();
        try (AvatarWorker avatar = AvatarWorker.start(service, AvatarWorkerConfig.builder(channel).build());
                RtcConnection agentConn = service.createConnection()) {
            agentConn.connect("", channel, "agent");
            HttpClient http = HttpClient.newHttpClient();
            WebSocket ws = http.newWebSocketBuilder().buildAsync(avatar.webSocketUri(), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    acks.add(data.toString());
                    w.request(1);
                    return null;
                }
            }).get(5, TimeUnit.SECONDS);
            ws.sendText("{ not json", true).get();
            ws.sendText("{\"type\":\"teleport\"}", true).get();
            byte[] pcm = new byte[(int) PcmFormat.MONO_16K.bytesFor(3000)];
            for (int i = 0; i < pcm.length; i += 2) {
                pcm[i + 1] = 40; // loud DC
            }
            for (int off = 0; off < pcm.length; off += 9600) {   // messages within the server's 64 KB limit
                ws.sendBinary(java.nio.ByteBuffer.wrap(pcm, off, Math.min(9600, pcm.length - off)), true).get();
            }
            assertThat(await(() -> avatar.stats().audioFramesSent() > 30, Duration.ofSeconds(3))).isTrue();
            // INTERRUPT over the channel's data stream, as a second path for control messages.
            DataStream control = agentConn.createDataStream(true, true);
            control.send("INTERRUPT");
            assertThat(await(() -> acks.size() == 1, Duration.ofSeconds(2))).isTrue();
            assertThat(acks.get(0)).contains("\"interrupted\":true");
            assertThat(avatar.stats().dataStreamMessages()).isEqualTo(1);
            assertThat(avatar.audioIn().stats().malformedMessages()).isEqualTo(1);
            assertThat(avatar.audioIn().stats().unknownMessages()).isEqualTo(1);
            long sent = avatar.stats().audioFramesSent();
            Thread.sleep(100);
            assertThat(avatar.stats().audioFramesSent()).as("silent after the interrupt").isEqualTo(sent);

            // A second agent is refused while one is connected.
            CompletableFuture<Integer> refused = new CompletableFuture<>();
            http.newWebSocketBuilder().buildAsync(avatar.webSocketUri(), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                    refused.complete(code);
                    return null;
                }
            }).get(5, TimeUnit.SECONDS);
            assertThat(refused.get(5, TimeUnit.SECONDS)).isEqualTo(1013);
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get();
        }
    }
}
