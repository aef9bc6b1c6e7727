package io.voiceagent.server.api;

import io.voiceagent.agora.AudioTrackOptions;
import io.voiceagent.agora.LocalAudioTrack;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.RtcConnectionListener;
import io.voiceagent.agora.UserOfflineReason;
import io.voiceagent.core.audio.PcmFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** A simulated caller: a plain connection in the agent's channel that can speak and records what it hears. */
final class SimUser implements AutoCloseable {
    final RtcConnection connection;
    final LocalAudioTrack track;
    final List<String> events = new CopyOnWriteArrayList<>(); // "joined uid", "left uid"
    final AtomicLong framesHeard = new AtomicLong();

    SimUser(String channel, String uid) {
        connection = TestAgents.service().createConnection();
        track = TestAgents.service().createAudioTrack(AudioTrackOptions.defaults().withMaxBufferedFrames(1000));
        connection.addListener(new RtcConnectionListener() {
            @Override
            public void onUserJoined(RtcConnection c, String userId) {
                events.add("joined " + userId);
            }

            @Override
            public void onUserLeft(RtcConnection c, String userId, UserOfflineReason reason) {
                events.add("left " + userId);
            }
        });
        connection.localUser().setRemoteAudioListener((c, from, frame) -> framesHeard.incrementAndGet());
        connection.connect("", channel, uid);
        connection.localUser().publishAudio(track);
    }

    /** Queues {@code pcm} (16 kHz mono, up to 10 s); the track sends it at real-time pace. */
    void say(byte[] pcm) {
        track.sender().send(pcm, PcmFormat.MONO_16K);
    }

    @Override
    public void close() {
        connection.close();
        track.close();
    }
}
