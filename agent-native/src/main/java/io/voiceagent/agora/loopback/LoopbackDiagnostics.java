package io.voiceagent.agora.loopback;

import io.voiceagent.agora.LocalAudioTrack;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.internal.LoopbackLibrary;
import io.voiceagent.agora.internal.NativeLoader;
import io.voiceagent.agora.internal.TypedAccess;

/**
 * Counters the embedded loopback library keeps about what crossed the C boundary, for benchmarks
 * and diagnostics. Every method throws {@link IllegalStateException} when the real Agora SDK is
 * loaded (it has no such counters); check {@link #isAvailable()} first.
 */
public final class LoopbackDiagnostics {
    private LoopbackDiagnostics() {}

    /** Whether the loopback library is the loaded native library. */
    public static boolean isAvailable() {
        return NativeLoader.get().isLoopback();
    }

    private static LoopbackLibrary lb() {
        return NativeLoader.get().loopback().orElseThrow(() ->
                new IllegalStateException("loopback diagnostics need the loopback library; the real SDK is loaded"));
    }

    /** Native handles alive now: services, factories, connections, PCM senders, tracks. */
    public static int liveHandles() {
        return lb().loopback_live_handles();
    }

    /** Times a native handle was released out of Agora's documented order. */
    public static int orderViolations() {
        return lb().loopback_order_violations();
    }

    /** 10 ms playback frames that found nothing to play while the remote user's stream was active. */
    public static long underruns(RtcConnection listener) {
        return TypedAccess.get().withConnection(listener, h -> lb().loopback_conn_underruns(h.getPointer()));
    }

    /** Frames delivered to the connection's audio observer. */
    public static long framesDelivered(RtcConnection listener) {
        return TypedAccess.get().withConnection(listener, h -> lb().loopback_conn_frames_delivered(h.getPointer()));
    }

    /** Frames the library transmitted from the track's send buffer. */
    public static long framesSent(LocalAudioTrack track) {
        return TypedAccess.get().withTrack(track, h -> lb().loopback_track_frames_sent(h.getPointer()));
    }

    /** Frames waiting in the track's send buffer now. */
    public static long framesQueued(LocalAudioTrack track) {
        return TypedAccess.get().withTrack(track, h -> lb().loopback_track_frames_queued(h.getPointer()));
    }
}
