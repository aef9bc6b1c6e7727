package io.voiceagent.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.agent.AgentInput;
import io.voiceagent.core.audio.AudioFrame;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.pacing.AudioConsumerConfig;
import io.voiceagent.core.pacing.AudioPacer;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.junit.jupiter.api.Test;

/** The socket's ordered send path and the transport's 10 ms framing, without a network. */
class WebSocketSenderTest {

    /** A Jetty session whose sends complete only when the test says so; records what was handed over. */
    static final class HeldSocket {
        final List<String> handed = new ArrayList<>();
        final List<Callback> pending = new ArrayList<>();
        final Session session = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(),
                new Class<?>[] {Session.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "sendText" -> {
                            handed.add("text:" + args[0]);
                            pending.add((Callback) args[1]);
                        }
                        case "sendBinary" -> {
                            ByteBuffer b = (ByteBuffer) args[0];
                            handed.add("audio:" + b.remaining() + ":" + b.get(b.position()));
                            pending.add((Callback) args[1]);
                        }
                        case "toString" -> {
                            return "HeldSocket";
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                    return null;
                });

        void completeNext() {
            pending.remove(0).succeed();
        }
    }

    private static byte[] audio(int tag) {
        byte[] b = new byte[320];
        b[0] = (byte) tag;
        return b;
    }

    @Test
    void oneMessageInFlightInQueueOrderAndClearDropsOnlyQueuedAudio() {
        HeldSocket socket = new HeldSocket();
        WebSocketSender sender = new WebSocketSender(socket.session, 1 << 20);
        sender.sendText("{\"type\":\"tts_start\"}");
        sender.sendAudio(audio(1), 0, 320);
        sender.sendAudio(audio(2), 0, 320);
        sender.sendText("{\"type\":\"partial_transcript\"}");
        sender.sendAudio(audio(3), 0, 320);
        assertThat(socket.handed).containsExactly("text:{\"type\":\"tts_start\"}");

        socket.completeNext();
        assertThat(socket.handed).hasSize(2).endsWith("audio:320:1");
        // The barge-in: audio 2 and 3 are still queued here, so they never reach the socket.
        assertThat(sender.clearAudio()).isEqualTo(640);
        sender.sendText("{\"type\":\"tts_stop\"}");
        while (!socket.pending.isEmpty()) {
            socket.completeNext();
        }
        assertThat(socket.handed).containsExactly("text:{\"type\":\"tts_start\"}", "audio:320:1",
                "text:{\"type\":\"partial_transcript\"}", "text:{\"type\":\"tts_stop\"}");
        assertThat(sender.isIdle()).isTrue();
        assertThat(sender.sentAudioBytes()).isEqualTo(320);
    }

    @Test
    void audioBeyondTheBoundIsDroppedAndCountedButTextIsNot() {
        HeldSocket socket = new HeldSocket();
        WebSocketSender sender = new WebSocketSender(socket.session, 640);
        sender.sendText("first");
        for (int i = 0; i < 4; i++) {
            sender.sendAudio(audio(i), 0, 320);
        }
        sender.sendText("last");
        assertThat(sender.droppedAudioBytes()).isEqualTo(640);
        while (!socket.pending.isEmpty()) {
            socket.completeNext();
        }
        assertThat(socket.handed).containsExactly("text:first", "audio:320:0", "audio:320:1", "text:last");
    }

    @Test
    void aSendCompletedOnTheCallingThreadDoesNotRecurse() {
        List<String> handed = new ArrayList<>();
        Session immediate = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(),
                new Class<?>[] {Session.class}, (proxy, method, args) -> {
                    handed.add(method.getName());
                    ((Callback) args[1]).succeed(); // Jetty may complete a write at once
                    return null;
                });
        WebSocketSender sender = new WebSocketSender(immediate, 1 << 30);
        for (int i = 0; i < 20_000; i++) {
            sender.sendAudio(audio(1), 0, 320); // a recursive pump would overflow the stack long before
        }
        assertThat(handed).hasSize(20_000);
        assertThat(sender.isIdle()).isTrue();
    }

    @Test
    void theTransportCutsBlocksOfAnyLengthInto10msFramesAndDropsAPartialFrameOnRequest() {
        List<AudioFrame> frames = new ArrayList<>();
        try (AudioPacer pacer = AudioPacer.builder().buildManual()) {
            WebSocketTransport t = new WebSocketTransport("t", Executors.newSingleThreadExecutor(), pacer,
                    PcmFormat.MONO_16K, AudioConsumerConfig.defaults(),
                    new WebSocketSender(new HeldSocket().session, 1 << 20));
            t.start(new AgentInput() {
                @Override
                public void audioFrame(String userId, AudioFrame frame) {
                    assertThat(userId).isEqualTo(WebSocketTransport.USER_ID);
                    frames.add(frame);
                }

                @Override
                public void userLeft(String userId) {
                    frames.clear();
                }
            });
            byte[] pcm = new byte[1000];
            for (int i = 0; i < pcm.length; i++) {
                pcm[i] = (byte) i;
            }
            t.deliver(pcm, 0, 500, 0);   // one frame of 320, 180 bytes wait
            t.deliver(pcm, 500, 500, 31); // 180 + 500 = 680: two frames, 40 bytes wait
            assertThat(frames).hasSize(3);
            assertThat(frames.get(1).data()[0]).isEqualTo((byte) 64);  // byte 320 of the stream
            assertThat(frames.get(2).data()[0]).isEqualTo((byte) (640 & 0xff));
            t.resetPartialFrame();
            t.deliver(pcm, 0, 320, 100);
            assertThat(frames).hasSize(4);
            assertThat(frames.get(3).data()[0]).isEqualTo((byte) 0); // the 40 left-over bytes were dropped
            t.close();
        }
    }

}
