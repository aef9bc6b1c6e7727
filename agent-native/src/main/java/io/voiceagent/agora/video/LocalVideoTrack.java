package io.voiceagent.agora.video;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.voiceagent.agora.AgoraException;
import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.internal.AgoraLibrary;
import io.voiceagent.agora.internal.AgoraStructs.ExternalVideoFrameStruct;
import io.voiceagent.agora.internal.AgoraStructs.SimulcastStreamConfigStruct;
import io.voiceagent.agora.internal.AgoraStructs.VideoEncoderConfigStruct;
import io.voiceagent.agora.internal.Handles.LocalVideoTrackHandle;
import io.voiceagent.agora.internal.Handles.VideoFrameSenderHandle;
import io.voiceagent.agora.internal.TypedAccess;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A custom video track fed with raw frames (I420, RGBA, BGRA) by its own video frame sender: what
 * an avatar or a file sender publishes. Owns both native handles
 * ({@code agora_media_node_factory_create_video_frame_sender},
 * {@code agora_service_create_custom_video_track_frame}); the service must have video enabled.
 *
 * <pre>{@code
 * try (LocalVideoTrack track = LocalVideoTrack.create(service,
 *         VideoEncoderConfig.builder(640, 480).frameRate(25).build())) {
 *     track.publish(connection);
 *     track.send(VideoFrame.builder(VideoPixelFormat.RGBA, 640, 480, rgba).build());   // every 40 ms
 * }
 * }</pre>
 *
 * <p>Thread-safe; sends are serialized (one reusable native frame per track: heap pixels are copied
 * into a buffer that grows to the largest frame, direct buffers are passed as they are). The SDK
 * needs a frame's buffers only during {@link #send}. See {@link MediaTrack} for publishing and close.
 */
public final class LocalVideoTrack extends VideoTrackBase {
    private final VideoFrameSenderHandle sender;
    // Guarded by this.
    private final ExternalVideoFrameStruct nativeFrame = new ExternalVideoFrameStruct();
    // Guarded by this.
    private Memory pixels;
    private Memory alpha;
    private final Memory metadata = new Memory(VideoFrame.MAX_METADATA_BYTES);
    private long framesSent;
    private volatile VideoEncoderConfig encoderConfig;

    private LocalVideoTrack(AgoraService service, AgoraLibrary lib, VideoFrameSenderHandle sender,
            LocalVideoTrackHandle handle) {
        super(service, lib, handle);
        this.sender = sender;
        setEnabled(true);
    }

    /**
     * Creates a track and its frame sender (enabled, not published; no encoder config set).
     *
     * @throws IllegalStateException if the service is closed or was created without video
     * @throws AgoraException naming the C function if the SDK refused
     */
    public static LocalVideoTrack create(AgoraService service) {
        AgoraLibrary lib = videoLibrary(service);
        return TypedAccess.get().withService(service, (svc, factory) -> {
            VideoFrameSenderHandle s = lib.agora_media_node_factory_create_video_frame_sender(factory);
            if (s == null || s.getPointer() == null) {
                throw new AgoraException("agora_media_node_factory_create_video_frame_sender", -1, "no sender");
            }
            LocalVideoTrackHandle t = lib.agora_service_create_custom_video_track_frame(svc, s);
            if (t == null || t.getPointer() == null) {
                lib.agora_video_frame_sender_destroy(s);
                throw new AgoraException("agora_service_create_custom_video_track_frame", -1,
                        "no track (is video enabled in the service?)");
            }
            return new LocalVideoTrack(service, lib, s, t);
        });
    }

    /** {@link #create(AgoraService)}, then {@link #setEncoderConfig}. */
    public static LocalVideoTrack create(AgoraService service, VideoEncoderConfig config) {
        Objects.requireNonNull(config, "config");
        LocalVideoTrack t = create(service);
        try {
            t.setEncoderConfig(config);
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    /** Sets how the track is encoded ({@code agora_local_video_track_set_video_encoder_config}). */
    public void setEncoderConfig(VideoEncoderConfig config) {
        Objects.requireNonNull(config, "config");
        guard.withHandle(() -> {
            VideoEncoderConfigStruct c = new VideoEncoderConfigStruct();
            c.codec_type = config.codec().value();
            c.dimensions.width = config.width();
            c.dimensions.height = config.height();
            c.frame_rate = config.frameRate();
            c.bitrate = config.bitrateKbps();
            c.min_bitrate = config.minBitrateKbps();
            c.orientation_mode = config.orientation().value();
            c.degradation_preference = config.degradation().value();
            c.mirror_mode = config.mirror().value();
            c.encode_alpha = config.encodeAlpha() ? 1 : 0;
            c.write();
            int rc = lib.agora_local_video_track_set_video_encoder_config(handle, c);
            if (rc != 0) {
                throw new AgoraException("agora_local_video_track_set_video_encoder_config", rc, config.toString());
            }
            encoderConfig = config;
            return null;
        });
    }

    /** The last encoder config set, or null. */
    public VideoEncoderConfig encoderConfig() {
        return encoderConfig;
    }

    /**
     * Also sends a low-quality stream of {@code width x height} at {@code frameRate} fps and about
     * {@code bitrateKbps} for receivers that ask for {@link VideoStreamType#LOW}.
     */
    public void enableSimulcast(int width, int height, int bitrateKbps, int frameRate) {
        if (width < 1 || height < 1 || width > VideoFrame.MAX_DIMENSION || height > VideoFrame.MAX_DIMENSION) {
            throw new IllegalArgumentException("simulcast size must be in 1.." + VideoFrame.MAX_DIMENSION + "; got "
                    + width + " x " + height);
        }
        if (bitrateKbps < 0 || frameRate < 1 || frameRate > 60) {
            throw new IllegalArgumentException("simulcast needs bitrateKbps >= 0 and frameRate in 1..60; got "
                    + bitrateKbps + " Kbps, " + frameRate + " fps");
        }
        SimulcastStreamConfigStruct c = new SimulcastStreamConfigStruct();
        c.dimensions.width = width;
        c.dimensions.height = height;
        c.bitrate = bitrateKbps;
        c.framerate = frameRate;
        c.write();
        simulcast(1, c);
    }

    /** Stops the low-quality stream. */
    public void disableSimulcast() {
        simulcast(0, null);
    }

    private void simulcast(int enable, SimulcastStreamConfigStruct c) {
        guard.withHandle(() -> {
            int rc = lib.agora_local_video_track_enable_simulcast_stream(handle, enable, c);
            if (rc != 0) {
                throw new AgoraException("agora_local_video_track_enable_simulcast_stream", rc, null);
            }
            return null;
        });
    }

    /**
     * Sends one frame ({@code agora_video_frame_sender_send}). Returns once the SDK has taken it.
     *
     * @throws AgoraException naming the C function if the SDK refused the frame (for example when
     *     the track is disabled)
     * @throws IllegalStateException if the track is closed
     */
    public void send(VideoFrame frame) {
        Objects.requireNonNull(frame, "frame");
        guard.withHandle(() -> {
            synchronized (this) {
                ByteBuffer data = frame.data();
                fill(frame, data);
                int rc = lib.agora_video_frame_sender_send(sender, nativeFrame);
                Reference.reachabilityFence(data);
                if (rc != 0) {
                    throw new AgoraException("agora_video_frame_sender_send", rc, frame.toString());
                }
                framesSent++;
            }
            return null;
        });
    }

    // Guarded by this.
    private void fill(VideoFrame frame, ByteBuffer data) {
        ExternalVideoFrameStruct f = nativeFrame;
        int bytes = (int) frame.format().bufferBytes(frame.stride(), frame.height());
        f.type = 1;
        f.format = frame.format().value();
        f.buffer = pointerTo(data, bytes);
        f.stride = frame.stride();
        f.height = frame.height();
        f.crop_left = 0;
        f.crop_top = 0;
        f.crop_right = frame.stride() - frame.width();
        f.crop_bottom = 0;
        f.rotation = frame.rotation().degrees();
        f.timestamp = frame.timestampMs();
        int m = frame.metadataLength();
        if (m > 0) {
            metadata.write(0, frame.metadataArray(), 0, m);
        }
        f.metadata_buffer = m > 0 ? metadata : null;
        f.metadata_size = m;
        byte[] a = frame.alphaPlane();
        if (a != null) {
            if (alpha == null || alpha.size() < a.length) {
                alpha = new Memory(a.length);
            }
            alpha.write(0, a, 0, a.length);
        }
        f.alpha_buffer = a != null ? alpha : null;
        // Python 2.2.4 forwards an alpha buffer only with fill_alpha_buffer set: set it for both sources.
        f.fill_alpha_buffer = (byte) (frame.hasAlpha() ? 1 : 0);
        f.alpha_mode = frame.alphaMode().value();
        ColorSpace cs = frame.colorSpace();
        f.color_space.primaries_id = cs.primariesId();
        f.color_space.transfer_id = cs.transferId();
        f.color_space.matrix_id = cs.matrixId();
        f.color_space.range_id = cs.rangeId();
        f.write();
    }

    // Guarded by this: a direct buffer is passed as is, a heap one copied into the reusable buffer.
    private Pointer pointerTo(ByteBuffer data, int bytes) {
        if (data.isDirect()) {
            return Native.getDirectBufferPointer(data).share(data.position());
        }
        if (pixels == null || pixels.size() < bytes) {
            pixels = new Memory(bytes);
        }
        ByteBuffer src = data.duplicate();
        src.limit(src.position() + bytes);
        pixels.getByteBuffer(0, bytes).put(src);
        return pixels;
    }

    /** Frames the SDK accepted through this object. */
    public synchronized long framesSent() {
        return framesSent;
    }

    @Override
    void destroyNative() {
        lib.agora_local_video_track_destroy(handle);
        lib.agora_video_frame_sender_destroy(sender);
    }
}
