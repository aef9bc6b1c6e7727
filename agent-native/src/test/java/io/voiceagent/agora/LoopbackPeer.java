package io.voiceagent.agora;

import io.voiceagent.agora.internal.LoopbackLibrary;
import io.voiceagent.agora.internal.NativeLoader;
import io.voiceagent.core.audio.PcmFormat;
import java.time.Duration;

/**
 * The other process of {@link TwoProcessAudioTest}: joins a channel, sends a deterministic PCM
 * pattern, waits until the library transmitted it and the parent says BYE, releases everything and
 * reports live handles.
 * Args: appId channel userId seed frames.
 */
public final class LoopbackPeer {
    private LoopbackPeer() {}

    public static void main(String[] args) throws Exception {
        String appId = args[0];
        String channel = args[1];
        String userId = args[2];
        long seed = Long.parseLong(args[3]);
        int frames = Integer.parseInt(args[4]);
        byte[] pcm = TestNative.pcm(seed, PcmFormat.MONO_16K.bytesPerFrame() * frames);
        LoopbackLibrary lb = NativeLoader.get().loopback().orElseThrow();
        try (AgoraService service = AgoraService.create(AgoraServiceConfig.builder().appId(appId).build())) {
            try (RtcConnection conn = service.createConnection();
                    LocalAudioTrack track = service.createAudioTrack(AudioTrackOptions.defaults()
                            .withMaxBufferedFrames(frames))) {
                conn.connect("", channel, userId);
                conn.localUser().publishAudio(track);
                System.out.println("READY");
                System.out.flush();
                // Wait for the parent to announce itself by joining, then send.
                java.io.BufferedReader stdin = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
                String go = stdin.readLine();
                if (!"GO".equals(go)) {
                    throw new IllegalStateException("expected GO, got " + go);
                }
                track.sender().send(pcm, PcmFormat.MONO_16K);
                boolean sent = TestNative.await(() -> lb.loopback_track_frames_sent(track.handle().getPointer())
                        >= frames, Duration.ofSeconds(10));
                System.out.println("SENT " + lb.loopback_track_frames_sent(track.handle().getPointer()) + " " + sent);
                System.out.flush();
                // Stay in the channel until the parent has played out everything (its jitter buffer
                // is dropped when a user leaves, as on the real SDK).
                String bye = stdin.readLine();
                if (!"BYE".equals(bye)) {
                    throw new IllegalStateException("expected BYE, got " + bye);
                }
            }
            System.out.println("LIVE_CONNECTIONS " + lb.loopback_live_handles_of_kind(LoopbackLibrary.KIND_CONNECTION));
            System.out.println("ORDER_VIOLATIONS " + lb.loopback_order_violations());
        }
        System.out.println("DONE");
    }
}
