package io.voiceagent.agora.video;

import com.sun.jna.Pointer;
import io.voiceagent.agora.internal.AgoraObservers;
import io.voiceagent.agora.internal.AgoraObservers.VideoEncodedFrameObserverStruct;
import io.voiceagent.agora.internal.AgoraObservers.VideoFrameObserver2Struct;
import io.voiceagent.agora.internal.AgoraStructs.EncodedVideoFrameInfoStruct;
import io.voiceagent.agora.internal.AgoraStructs.VideoFrameStruct;
import io.voiceagent.agora.internal.CallbackSupport;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SDK-facing side of every {@link VideoReceiver}: one static video frame observer table and one
 * encoded video frame observer table for the whole process. The SDK copies a table when an observer
 * handle is created and passes that handle as the first argument of every call, so each call is
 * routed to its receiver by handle; the callback objects are static and outlive every observer.
 * Adapters copy the borrowed frame, hand it to the receiver (which posts it to its connection's
 * executor) and return; they never call the SDK, never block and never throw into native code.
 */
final class VideoCallbacks {
    private static final ConcurrentHashMap<Long, VideoReceiver> BY_OBSERVER = new ConcurrentHashMap<>();

    static final VideoFrameObserver2Struct RAW = new VideoFrameObserver2Struct();
    static final VideoEncodedFrameObserverStruct ENCODED = new VideoEncodedFrameObserverStruct();

    static {
        RAW.on_frame = CallbackSupport.attach((AgoraObservers.OnVideoFrame) (h, channel, user, frame) -> {
            try {
                VideoReceiver r = receiver(h);
                if (r != null && frame != null) {
                    CallbackSupport.countAdapterThread();
                    r.deliver(copyFrame(CallbackSupport.copyString(user), frame));
                }
            } catch (Throwable t) {
                CallbackSupport.adapterError("on_frame", t);
            }
        });
        ENCODED.on_encoded_video_frame = CallbackSupport.attach((AgoraObservers.OnEncodedVideoFrame)
                (h, uid, buffer, length, info) -> {
                    try {
                        VideoReceiver r = receiver(h);
                        if (r != null && info != null) {
                            CallbackSupport.countAdapterThread();
                            r.deliver(new ReceivedEncodedVideoFrame(Integer.toUnsignedLong(uid),
                                    CallbackSupport.copyBytes(buffer, length), copyInfo(info)));
                        }
                    } catch (Throwable t) {
                        CallbackSupport.adapterError("on_encoded_video_frame", t);
                    }
                    return 1;
                });
        RAW.write();
        ENCODED.write();
    }

    private VideoCallbacks() {}

    static void route(Pointer observer, VideoReceiver receiver) {
        BY_OBSERVER.put(Pointer.nativeValue(observer), receiver);
    }

    /** Removes only {@code receiver}'s route (the SDK may reuse a destroyed handle's address). */
    static void unroute(Pointer observer, VideoReceiver receiver) {
        BY_OBSERVER.remove(Pointer.nativeValue(observer), receiver);
    }

    /** Receivers currently routed (leak checks). */
    static int routed() {
        return BY_OBSERVER.size();
    }

    private static VideoReceiver receiver(Pointer h) {
        return h == null ? null : BY_OBSERVER.get(Pointer.nativeValue(h));
    }

    /** Copies the planes (row by row when a stride exceeds the width), metadata and alpha. */
    static ReceivedVideoFrame copyFrame(String userId, Pointer f) {
        int w = f.getInt(VideoFrameStruct.OFFSET_WIDTH);
        int h = f.getInt(VideoFrameStruct.OFFSET_HEIGHT);
        if (w <= 0 || h <= 0 || (w & 1) != 0 || (h & 1) != 0) {
            throw new IllegalStateException("the SDK delivered a video frame of " + w + " x " + h);
        }
        int ys = f.getInt(VideoFrameStruct.OFFSET_Y_STRIDE);
        int us = f.getInt(VideoFrameStruct.OFFSET_U_STRIDE);
        int vs = f.getInt(VideoFrameStruct.OFFSET_V_STRIDE);
        byte[] out = new byte[w * h * 3 / 2];
        copyPlane(f.getPointer(VideoFrameStruct.OFFSET_Y_BUFFER), ys, w, h, out, 0);
        copyPlane(f.getPointer(VideoFrameStruct.OFFSET_U_BUFFER), us, w / 2, h / 2, out, w * h);
        copyPlane(f.getPointer(VideoFrameStruct.OFFSET_V_BUFFER), vs, w / 2, h / 2, out, w * h + w * h / 4);
        int metaSize = f.getInt(VideoFrameStruct.OFFSET_METADATA_SIZE);
        byte[] meta = CallbackSupport.copyBytes(f.getPointer(VideoFrameStruct.OFFSET_METADATA_BUFFER), metaSize);
        Pointer a = f.getPointer(VideoFrameStruct.OFFSET_ALPHA_BUFFER);
        byte[] alpha = null;
        if (a != null) {
            alpha = new byte[w * h];
            copyPlane(a, ys, w, h, alpha, 0);
        }
        int rotation = f.getInt(VideoFrameStruct.OFFSET_ROTATION);
        return new ReceivedVideoFrame(userId, w, h, rotation == 90 || rotation == 180 || rotation == 270
                ? VideoRotation.fromDegrees(rotation) : VideoRotation.NONE, f.getLong(VideoFrameStruct.OFFSET_RENDER_TIME_MS),
                out, meta, alpha, AlphaMode.fromValue(f.getInt(VideoFrameStruct.OFFSET_ALPHA_MODE)));
    }

    private static void copyPlane(Pointer src, int stride, int width, int rows, byte[] dst, int offset) {
        if (src == null) {
            throw new IllegalStateException("the SDK delivered a video frame without a plane");
        }
        if (stride == width) {
            src.read(0, dst, offset, width * rows);
            return;
        }
        if (stride < width) {
            throw new IllegalStateException("the SDK delivered a plane with stride " + stride + " < width " + width);
        }
        for (int r = 0; r < rows; r++) {
            src.read((long) r * stride, dst, offset + r * width, width);
        }
    }

    static EncodedVideoFrameInfo copyInfo(Pointer i) {
        int rotation = i.getInt(EncodedVideoFrameInfoStruct.OFFSET_ROTATION);
        int w = Math.max(1, Math.min(VideoFrame.MAX_DIMENSION, i.getInt(EncodedVideoFrameInfoStruct.OFFSET_WIDTH)));
        int h = Math.max(1, Math.min(VideoFrame.MAX_DIMENSION, i.getInt(EncodedVideoFrameInfoStruct.OFFSET_HEIGHT)));
        int fps = Math.max(0, Math.min(120, i.getInt(EncodedVideoFrameInfoStruct.OFFSET_FRAMES_PER_SECOND)));
        VideoCodec codec = VideoCodec.fromValue(i.getInt(EncodedVideoFrameInfoStruct.OFFSET_CODEC_TYPE));
        return new EncodedVideoFrameInfo(codec == VideoCodec.NONE ? VideoCodec.GENERIC : codec, w, h, fps,
                VideoFrameType.fromValue(i.getInt(EncodedVideoFrameInfoStruct.OFFSET_FRAME_TYPE)),
                rotation == 90 || rotation == 180 || rotation == 270 ? VideoRotation.fromDegrees(rotation)
                        : VideoRotation.NONE, i.getLong(EncodedVideoFrameInfoStruct.OFFSET_CAPTURE_TIME_MS),
                VideoStreamType.fromValue(i.getInt(EncodedVideoFrameInfoStruct.OFFSET_STREAM_TYPE)));
    }
}
