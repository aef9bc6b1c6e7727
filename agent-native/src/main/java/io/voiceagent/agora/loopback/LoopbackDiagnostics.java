package io.voiceagent.agora.loopback;

import io.voiceagent.agora.LocalAudioTrack;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.internal.LoopbackLibrary;
import io.voiceagent.agora.internal.NativeLoader;
import io.voiceagent.agora.internal.TypedAccess;
import java.util.Objects;

/**
 * The embedded loopback library's test API, typed: counters of what crossed the C boundary (for
 * benchmarks and diagnostics) and fault injection ({@link #injectFaults}). Every method throws
 * {@link IllegalStateException} when the real Agora SDK is loaded (it has neither); check
 * {@link #isAvailable()} first. Thread-safe.
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

    /**
     * The depth, in 10 ms frames, that {@code receiver}'s adaptive jitter buffer for {@code userId}
     * holds before a talk spurt plays (2 at first, up to 6 after late frames), or -1 when the
     * receiver has no such remote user. Frames already in it when the sender clears its buffer
     * still play: on the loopback, this is the receiver's share of an interrupt-to-silence time.
     */
    public static int jitterBufferTarget(RtcConnection receiver, String userId) {
        Objects.requireNonNull(userId, "userId");
        return TypedAccess.get().withConnection(receiver, h -> lb().loopback_conn_jitter_target(h.getPointer(), userId));
    }

    /** Frames queued now in {@code receiver}'s jitter buffer for {@code userId}, or -1 for an unknown user. */
    public static int jitterBufferQueued(RtcConnection receiver, String userId) {
        Objects.requireNonNull(userId, "userId");
        return TypedAccess.get().withConnection(receiver, h -> lb().loopback_conn_jitter_queued(h.getPointer(), userId));
    }

    /**
     * Makes the network lose {@code percent} of the audio frames {@code sender} sends from now on
     * (0 = none), on a connection that is already joined: a network that turns lossy for a while and
     * recovers. {@link #injectFaults} sets loss only for connections that connect later.
     *
     * @throws IllegalArgumentException if {@code percent} is outside 0-100
     */
    public static void setLossPercent(RtcConnection sender, int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be 0-100; got " + percent);
        }
        int rc = TypedAccess.get().withConnection(sender, h -> lb().loopback_conn_set_loss(h.getPointer(), percent));
        if (rc != 0) {
            throw new IllegalStateException("loopback_conn_set_loss failed (" + rc + ") for " + sender);
        }
    }

    /** Frames delivered to the connection's audio observer. */
    public static long framesDelivered(RtcConnection listener) {
        return TypedAccess.get().withConnection(listener, h -> lb().loopback_conn_frames_delivered(h.getPointer()));
    }

    /** Frames the library transmitted from the track's send buffer. */
    public static long framesSent(LocalAudioTrack track) {
        return TypedAccess.get().withTrack(track, h -> lb().loopback_track_frames_sent(h.getPointer()));
    }

    /**
     * Frames a video track sent (raw or encoded) or an encoded audio track accepted, as the library
     * counted them.
     */
    public static long framesSent(io.voiceagent.agora.video.MediaTrack track) {
        io.voiceagent.agora.internal.MediaAccess.Ops m = io.voiceagent.agora.internal.MediaAccess.get();
        boolean video = m.isVideo(track);
        return m.withTrackHandle(track, h -> video ? lb().loopback_video_track_frames_sent(h)
                : lb().loopback_track_frames_sent(h));
    }

    /** Video frames the connection handed to its video observers. */
    public static long videoFramesDelivered(RtcConnection receiver) {
        return TypedAccess.get().withConnection(receiver, h -> lb().loopback_conn_video_frames_delivered(h.getPointer()));
    }

    /** Video frames the connection dropped because its observers fell behind. */
    public static long videoFramesDropped(RtcConnection receiver) {
        return TypedAccess.get().withConnection(receiver, h -> lb().loopback_conn_video_frames_dropped(h.getPointer()));
    }

    /** Data-stream messages the library refused for Agora's rate limits (packets/s, bytes/s). */
    public static long streamMessagesRejected(RtcConnection sender) {
        return TypedAccess.get().withConnection(sender, h -> lb().loopback_conn_stream_rejected(h.getPointer()));
    }

    /** Frames waiting in the track's send buffer now. */
    public static long framesQueued(LocalAudioTrack track) {
        return TypedAccess.get().withTrack(track, h -> lb().loopback_track_frames_queued(h.getPointer()));
    }

    /**
     * Injects {@code faults} into every connection that connects from now on (connections already
     * joined keep theirs), until the returned handle is closed: closing it puts every fault back to
     * the environment's value. Faults are process-wide; do not overlap two injections.
     *
     * <pre>{@code
     * try (var faults = LoopbackDiagnostics.injectFaults(LoopbackFaults.none().withLossPercent(20))) {
     *     ... // connect and measure
     * }
     * }</pre>
     */
    public static Injection injectFaults(LoopbackFaults faults) {
        Objects.requireNonNull(faults, "faults");
        int[] a = faults.toNative();
        check(lb().loopback_set_faults(a[0], a[1], a[2], a[3]));
        return new Injection();
    }

    /** Puts every fault back to the environment's value. */
    public static void clearFaults() {
        check(lb().loopback_set_faults(-1, -1, -1, -1));
    }

    private static void check(int rc) {
        if (rc != 0) {
            throw new IllegalStateException("loopback_set_faults returned " + rc);
        }
    }

    /** An active fault injection; {@link #close()} clears it (idempotent). */
    public static final class Injection implements AutoCloseable {
        private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

        private Injection() {}

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                clearFaults();
            }
        }
    }
}
