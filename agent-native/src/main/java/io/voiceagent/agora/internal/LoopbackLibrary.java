package io.voiceagent.agora.internal;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * The loopback library's own introspection and fault-injection API ({@code loopback_*}), present
 * only when the embedded loopback library is loaded. Tests use it to assert what crossed the
 * boundary; production code only uses {@link #loopback_version()} for logging.
 */
public interface LoopbackLibrary extends Library {

    /** Handle kinds of {@link #loopback_live_handles_of_kind(int)}. */
    int KIND_SERVICE = 0;
    int KIND_FACTORY = 1;
    int KIND_CONNECTION = 2;
    int KIND_PCM_SENDER = 3;
    int KIND_AUDIO_TRACK = 4;
    int KIND_OBSERVER = 5;
    int KIND_CONN_INFO = 6;
    int KIND_MEDIA_SENDER = 7;
    int KIND_VIDEO_TRACK = 8;
    int KIND_VIDEO_OBSERVER = 9;
    int KIND_STATS = 10;

    int loopback_is_loopback();

    String loopback_version();

    int loopback_live_handles();

    int loopback_live_handles_of_kind(int kind);

    int loopback_order_violations();

    long loopback_track_frames_sent(Pointer track);

    long loopback_track_frames_queued(Pointer track);

    long loopback_track_frames_cleared(Pointer track);

    long loopback_conn_frames_received(Pointer conn);

    long loopback_conn_frames_delivered(Pointer conn);

    long loopback_conn_underruns(Pointer conn);

    long loopback_conn_frames_lost(Pointer conn);

    int loopback_conn_jitter_target(Pointer conn, String uid);

    int loopback_conn_jitter_queued(Pointer conn, String uid);

    int loopback_conn_set_loss(Pointer conn, int percent);

    int loopback_get_recorded(Pointer handle, String key, byte[] buf, int bufLen);

    int loopback_set_faults(int lossPercent, int delayMs, int disconnectAfterMs, int requireToken);

    long loopback_sizeof(String structName);

    long loopback_video_track_frames_sent(Pointer videoTrack);

    long loopback_conn_video_frames_received(Pointer conn);

    long loopback_conn_video_frames_delivered(Pointer conn);

    long loopback_conn_video_frames_dropped(Pointer conn);

    long loopback_conn_encoded_video_frames_delivered(Pointer conn);

    int loopback_set_stream_limits(int packetsPerSecond, int bytesPerSecond);

    long loopback_conn_stream_rejected(Pointer conn);
}
