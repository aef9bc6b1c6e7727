package io.voiceagent.examples.bench;

import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.AgoraServiceConfig;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.video.ReceivedVideoFrame;
import io.voiceagent.agora.video.VideoFrameListener;
import io.voiceagent.agora.video.VideoReceiver;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.avatar.AvatarAudioOut;
import io.voiceagent.server.avatar.AvatarWorker;
import io.voiceagent.server.avatar.AvatarWorkerConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the avatar benchmarks share, all in one process on the loopback library: an avatar worker on
 * a channel, an agent's {@link AvatarAudioOut} connected to it over a real WebSocket, and a user's
 * connection that records, in arrival order on its event executor, every audio frame (time, RMS)
 * and video frame (time, mouth opening from the frame's metadata) that arrives from the avatar.
 */
final class AvatarRig implements AutoCloseable {
    static final PcmFormat F = PcmFormat.MONO_16K;

    /**
     * One arrival at the user: audio ({@code mouth} -1) or video ({@code rms} -1); a video frame also
     * says how many audio frames the worker had handed to the SDK when it drew the frame.
     */
    record Arrival(long nanos, double rms, int mouth, long workerAudioFrames) {
        boolean isVideo() {
            return mouth >= 0;
        }
    }

    final AgoraService service;
    final AvatarWorker worker;
    final RtcConnection user;
    final VideoReceiver video;
    final AvatarAudioOut out;
    final ConcurrentLinkedQueue<Arrival> arrivals = new ConcurrentLinkedQueue<>();

    AvatarRig(String channel, Duration videoDelay) {
        service = AgoraService.create(AgoraServiceConfig.builder().appId("bench-avatar").enableVideo(true).build());
        worker = AvatarWorker.start(service, AvatarWorkerConfig.builder(channel).videoDelay(videoDelay).build());
        user = service.createConnection();
        user.localUser().setRemoteAudioListener((c, from, frame) -> {
            if (from.equals("avatar")) {
                arrivals.add(new Arrival(System.nanoTime(), rms(frame.data()), -1, -1));
            }
        });
        user.connect("", channel, "user");
        video = VideoReceiver.open(user, new VideoFrameListener() {
            @Override
            public void onFrame(RtcConnection c, ReceivedVideoFrame f) {
                String m = new String(f.metadata(), StandardCharsets.US_ASCII);
                int mouth = m.startsWith("m=") ? Integer.parseInt(m.substring(2, m.indexOf(';'))) : 0;
                long audio = m.contains(";a=") ? Long.parseLong(m.substring(m.indexOf(";a=") + 3)) : -1;
                arrivals.add(new Arrival(System.nanoTime(), -1, mouth, audio));
            }
        });
        out = AvatarAudioOut.connect(worker.webSocketUri(), service.audioPacer());
    }

    /** RMS of PCM16 LE, 0..1 of full scale. */
    static double rms(byte[] pcm) {
        double sum = 0;
        for (int i = 0; i + 1 < pcm.length; i += 2) {
            int s = (short) ((pcm[i] & 0xff) | pcm[i + 1] << 8);
            sum += (double) s * s;
        }
        return Math.sqrt(sum / Math.max(1, pcm.length / 2)) / 32768.0;
    }

    /** {@code millis} of a 300 Hz tone at about -9 dBFS RMS (or silence for amplitude 0). */
    static byte[] tone(int millis, int amplitude) {
        int samples = F.sampleRateHz() / 1000 * millis;
        byte[] b = new byte[samples * 2];
        for (int i = 0; i < samples; i++) {
            short v = (short) (amplitude * Math.sin(2 * Math.PI * 300 * i / F.sampleRateHz()));
            b[2 * i] = (byte) v;
            b[2 * i + 1] = (byte) (v >> 8);
        }
        return b;
    }

    @Override
    public void close() {
        out.close();
        video.close();
        user.close();
        worker.close();
        service.close();
    }
}
