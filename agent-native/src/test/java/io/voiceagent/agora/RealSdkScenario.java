package io.voiceagent.agora;

import io.voiceagent.core.audio.PcmFormat;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The check {@link RealSdkIntegrationTest} runs in a child JVM on the real Agora SDK: two
 * connections join one channel through Agora's network, one publishes audio and sends data-stream
 * messages, the other must receive both; then everything is released in order. Prints "OK ..."
 * lines and exits non-zero on the first failure. Args: appId token channel.
 */
public final class RealSdkScenario {
    private RealSdkScenario() {}

    public static void main(String[] args) throws Exception {
        String appId = args[0];
        String token = args.length > 1 ? args[1] : "";
        String channel = args.length > 2 ? args[2] : "voiceagent-check-" + ProcessHandle.current().pid();
        AtomicInteger frames = new AtomicInteger();
        AtomicInteger messages = new AtomicInteger();
        try (AgoraService service = AgoraService.create(AgoraServiceConfig.builder().appId(appId).build());
                RtcConnection listener = service.createConnection();
                RtcConnection speaker = service.createConnection(RtcConnectionConfig.builder()
                        .connectTimeout(Duration.ofSeconds(20)).build());
                LocalAudioTrack track = service.createAudioTrack(AudioTrackOptions.defaults().withMaxBufferedFrames(300))) {
            System.out.println("OK loaded " + AgoraService.nativeLibraryDescription());
            listener.localUser().setRemoteAudioListener((c, user, frame) -> frames.incrementAndGet());
            listener.addListener(new RtcConnectionListener() {
                @Override
                public void onStreamMessage(RtcConnection c, String userId, int streamId, byte[] data) {
                    messages.incrementAndGet();
                }
            });
            listener.connect(token, channel, "1001");
            speaker.connect(token, channel, "1002");
            System.out.println("OK both connected");
            speaker.localUser().publishAudio(track);
            byte[] tone = new byte[PcmFormat.MONO_16K.bytesPerFrame() * 200];
            for (int i = 0; i < tone.length / 2; i++) {
                short v = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 16000.0));
                tone[2 * i] = (byte) v;
                tone[2 * i + 1] = (byte) (v >> 8);
            }
            DataStream stream = speaker.createDataStream(true, true);
            for (int i = 0; i < 10; i++) {
                track.sender().send(java.util.Arrays.copyOfRange(tone, i * 6400, (i + 1) * 6400), PcmFormat.MONO_16K);
                stream.send("check " + i);
                Thread.sleep(200);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while ((frames.get() < 100 || messages.get() < 10) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            System.out.println("OK frames=" + frames.get() + " messages=" + messages.get());
            if (frames.get() < 100 || messages.get() < 10) {
                System.out.println("FAIL too little arrived");
                System.exit(2);
            }
        }
        System.out.println("OK released");
    }
}
