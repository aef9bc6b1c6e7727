package io.voiceagent.agora;

import io.voiceagent.core.vad.VadOptions;
import io.voiceagent.core.audio.AudioFrame;
import io.voiceagent.core.vad.SpeechSegmentListener;
import io.voiceagent.core.vad.VadDetector;
import io.voiceagent.core.vad.VadResult;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * One {@link VadDetector} per remote user of a connection, created on the user's first frame and
 * closed when the user leaves, the VAD is disabled, or the connection is reset or closed. Frames
 * arrive on the connection's event executor; close may come from any thread, so every method holds
 * this object's lock (uncontended in the steady state).
 */
final class RemoteUserVad implements AutoCloseable {
    private final RtcConnection conn;
    private final VadOptions options;
    private final SpeechListener listener;
    private final Executor callbackExecutor;
    // Guarded by this.
    private final Map<String, VadDetector> detectors = new HashMap<>();
    // Guarded by this.
    private boolean closed;

    RemoteUserVad(RtcConnection conn, VadOptions options, SpeechListener listener, Executor callbackExecutor) {
        this.conn = conn;
        this.options = options;
        this.listener = listener;
        this.callbackExecutor = callbackExecutor;
    }

    synchronized void process(String userId, AudioFrame frame) {
        if (closed) {
            return;
        }
        detectors.computeIfAbsent(userId, u -> create(u, frame)).process(frame);
    }

    private VadDetector create(String userId, AudioFrame first) {
        SpeechSegmentListener segments = new SpeechSegmentListener() {
            @Override
            public void speechStarted(VadResult start) {
                listener.speechStarted(conn, userId, start);
            }

            @Override
            public void speechEnded(byte[] audio, long startMs, long endMs) {
                listener.speechEnded(conn, userId, audio, startMs, endMs);
            }
        };
        return options.newDetector(first.format(), userId, segments.asVadListener(), callbackExecutor);
    }

    synchronized void userLeft(String userId) {
        VadDetector d = detectors.remove(userId);
        if (d != null) {
            d.close();
        }
    }

    /** Users with a live detector. */
    synchronized int users() {
        return detectors.size();
    }

    @Override
    public synchronized void close() {
        closed = true;
        detectors.values().forEach(VadDetector::close);
        detectors.clear();
    }
}
