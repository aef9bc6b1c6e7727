package io.voiceagent.examples.bench;

import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.AudioTrackOptions;
import io.voiceagent.agora.DataStream;
import io.voiceagent.agora.LocalAudioTrack;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.RtcConnectionListener;
import io.voiceagent.agora.UserOfflineReason;
import io.voiceagent.agora.audio.AudioOutput;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.concurrent.DaemonThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Callers for cluster runs: one plain connection per channel in this process, each watching its
 * agent's uid come and go (with times) and counting the agent's audio frames. Every user sends a tiny
 * data-stream message every 200 ms: on the loopback library that is how a member notices a peer
 * process that died without leaving (its socket refuses), so the user sees the killed agent leave
 * before its successor joins. Thread-safe.
 */
final class SimulatedUsers implements AutoCloseable {
    static final PcmFormat FORMAT = PcmFormat.MONO_16K;

    /** One caller and what it saw of its agent. */
    static final class User {
        final String channel;
        final String agentUid;
        final RtcConnection connection;
        final LocalAudioTrack track;
        final DataStream ping;
        final AtomicLong framesHeard = new AtomicLong();
        final AtomicInteger joins = new AtomicInteger();
        final AtomicInteger departures = new AtomicInteger();
        volatile long lastJoinNanos;
        volatile long lastLeftNanos;
        volatile boolean agentPresent;
        volatile AudioOutput talk;
        volatile String agentId;

        User(AgoraService service, String channel, String userUid, String agentUid) {
            this.channel = channel;
            this.agentUid = agentUid;
            connection = service.createConnection();
            track = service.createAudioTrack(AudioTrackOptions.defaults().withMaxBufferedFrames(1000));
            connection.addListener(new RtcConnectionListener() {
                @Override
                public void onUserJoined(RtcConnection c, String userId) {
                    if (userId.equals(agentUid)) {
                        lastJoinNanos = System.nanoTime();
                        agentPresent = true;
                        joins.incrementAndGet();
                    }
                }

                @Override
                public void onUserLeft(RtcConnection c, String userId, UserOfflineReason reason) {
                    if (userId.equals(agentUid)) {
                        lastLeftNanos = System.nanoTime();
                        agentPresent = false;
                        departures.incrementAndGet();
                    }
                }
            });
            connection.localUser().setRemoteAudioListener((c, from, frame) -> {
                if (from.equals(agentUid)) {
                    framesHeard.incrementAndGet();
                }
            });
            connection.connect("", channel, userUid);
            connection.localUser().publishAudio(track);
            ping = connection.createDataStream(false, false);
        }

        /** Queues {@code pcm} (16 kHz mono, at most 10 s); the track sends it at real-time pace. */
        void say(byte[] pcm) {
            track.sender().send(pcm, FORMAT);
        }

        void close() {
            AudioOutput t = talk;
            if (t != null) {
                t.close();
            }
            connection.close();
            track.close();
        }
    }

    private final List<User> users = new ArrayList<>();
    private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("sim-users-ping-"));

    /** Users {@code userUid} in each of {@code channels}, watching agent uid {@code agentUids[i]}. */
    SimulatedUsers(AgoraService service, List<String> channels, String userUid, List<String> agentUids) {
        for (int i = 0; i < channels.size(); i++) {
            users.add(new User(service, channels.get(i), userUid, agentUids.get(i)));
        }
        pinger.scheduleWithFixedDelay(() -> {
            for (User u : users) {
                try {
                    u.ping.send("p");
                } catch (RuntimeException closedOrNotJoined) {
                    // nothing to tell
                }
            }
        }, 200, 200, TimeUnit.MILLISECONDS);
    }

    List<User> all() {
        return users;
    }

    @Override
    public void close() {
        pinger.shutdownNow();
        for (User u : users) {
            try {
                u.close();
            } catch (RuntimeException e) {
                // closing anyway
            }
        }
    }
}
