package io.voiceagent.agora.video;

import com.sun.jna.Memory;
import io.voiceagent.agora.AgoraException;
import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.internal.AgoraLibrary;
import io.voiceagent.agora.internal.AgoraStructs.EncodedVideoFrameInfoStruct;
import io.voiceagent.agora.internal.AgoraStructs.SenderOptionsStruct;
import io.voiceagent.agora.internal.Handles.EncodedImageSenderHandle;
import io.voiceagent.agora.internal.Handles.LocalVideoTrackHandle;
import io.voiceagent.agora.internal.TypedAccess;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A video track fed with already encoded access units (H.264 from a file or an encoder), as Agora's
 * {@code example_video_encoded_send} does: owns its encoded image sender and the track
 * ({@code agora_service_create_custom_video_track_encoded}). No encoder config: the bytes go as
 * they are. H.264 and H.265 units must be Annex-B byte streams (start codes); an MP4's AVCC packets
 * must be rewritten first, with SPS/PPS before each key frame.
 *
 * <p>Thread-safe; sends are serialized. See {@link MediaTrack} for publishing and close.
 */
public final class EncodedVideoTrack extends VideoTrackBase {
    private static final Logger log = LoggerFactory.getLogger(EncodedVideoTrack.class);
    /** Largest access unit accepted, in bytes. */
    public static final int MAX_FRAME_BYTES = 4 << 20;

    private final EncodedImageSenderHandle sender;
    private final EncodedVideoOptions options;
    // Guarded by this.
    private final EncodedVideoFrameInfoStruct info = new EncodedVideoFrameInfoStruct();
    private Memory buffer;
    private long framesSent;
    private long framesNotSent;

    private EncodedVideoTrack(AgoraService service, AgoraLibrary lib, EncodedImageSenderHandle sender,
            LocalVideoTrackHandle handle, EncodedVideoOptions options) {
        super(service, lib, handle);
        this.sender = sender;
        this.options = options;
        setEnabled(true);
    }

    /**
     * Creates the track and its sender (enabled, not published).
     *
     * @throws IllegalStateException if the service is closed or has video disabled
     * @throws AgoraException naming the C function if the SDK refused
     */
    public static EncodedVideoTrack create(AgoraService service, EncodedVideoOptions options) {
        Objects.requireNonNull(options, "options");
        AgoraLibrary lib = videoLibrary(service);
        return TypedAccess.get().withService(service, (svc, factory) -> {
            EncodedImageSenderHandle s = lib.agora_media_node_factory_create_video_encoded_image_sender(factory);
            if (s == null || s.getPointer() == null) {
                throw new AgoraException("agora_media_node_factory_create_video_encoded_image_sender", -1, "no sender");
            }
            SenderOptionsStruct o = new SenderOptionsStruct();
            o.cc_mode = options.congestionControl() ? 0 : 1;
            o.codec_type = options.codec().value();
            o.target_bitrate = options.targetBitrateKbps();
            o.write();
            LocalVideoTrackHandle t = lib.agora_service_create_custom_video_track_encoded(svc, s, o);
            if (t == null || t.getPointer() == null) {
                lib.agora_video_encoded_image_sender_destroy(s);
                throw new AgoraException("agora_service_create_custom_video_track_encoded", -1, "no track for "
                        + options);
            }
            return new EncodedVideoTrack(service, lib, s, t, options);
        });
    }

    public EncodedVideoOptions options() {
        return options;
    }

    /** {@link #send(byte[], int, int, EncodedVideoFrameInfo)} of the whole array. */
    public void send(byte[] accessUnit, EncodedVideoFrameInfo frameInfo) {
        Objects.requireNonNull(accessUnit, "accessUnit");
        send(accessUnit, 0, accessUnit.length, frameInfo);
    }

    /**
     * Sends one access unit ({@code agora_video_encoded_image_sender_send}).
     *
     * @throws IllegalArgumentException naming the value: empty or larger than {@value #MAX_FRAME_BYTES},
     *     an H.264/H.265 unit that is not Annex-B, or a codec other than the track's
     * @throws AgoraException naming the C function if the SDK refused it
     */
    public void send(byte[] data, int offset, int length, EncodedVideoFrameInfo frameInfo) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(frameInfo, "frameInfo");
        Objects.checkFromIndexSize(offset, length, data.length);
        if (length == 0 || length > MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("an access unit must be 1.." + MAX_FRAME_BYTES + " bytes; got " + length);
        }
        if (options.codec() != VideoCodec.NONE && frameInfo.codec() != options.codec()) {
            throw new IllegalArgumentException("frameInfo.codec must be " + options.codec() + ", the track's codec; got "
                    + frameInfo.codec());
        }
        if (frameInfo.codec().isAnnexB() && !isAnnexB(data, offset, length)) {
            throw new IllegalArgumentException(frameInfo.codec() + " access units must be Annex-B (start with 00 00 01"
                    + " or 00 00 00 01); got " + String.format("%02x %02x %02x %02x", b(data, offset, length, 0),
                    b(data, offset, length, 1), b(data, offset, length, 2), b(data, offset, length, 3))
                    + " (an MP4's AVCC packets need their length prefixes replaced by start codes)");
        }
        guard.withHandle(() -> {
            synchronized (this) {
                if (buffer == null || buffer.size() < length) {
                    buffer = new Memory(Math.max(length, 64 * 1024));
                }
                buffer.write(0, data, offset, length);
                info.codec_type = frameInfo.codec().value();
                info.width = frameInfo.width();
                info.height = frameInfo.height();
                info.frames_per_second = frameInfo.framesPerSecond();
                info.frame_type = frameInfo.frameType().value();
                info.rotation = frameInfo.rotation().degrees();
                info.capture_time_ms = frameInfo.captureTimeMs();
                info.stream_type = frameInfo.streamType().value();
                info.write();
                int rc = lib.agora_video_encoded_image_sender_send(sender, buffer, length, info);
                if (rc < 0) {
                    throw new AgoraException("agora_video_encoded_image_sender_send", rc, length + " bytes, "
                            + frameInfo);
                }
                // 1 = sent (what Python 2.2.4 expects); older builds returned 0 for "not sent".
                if (rc == 1) {
                    framesSent++;
                } else if (framesNotSent++ == 0) {
                    log.warn("{}: agora_video_encoded_image_sender_send returned {} (not sent)", this, rc);
                }
            }
            return null;
        });
    }

    private static boolean isAnnexB(byte[] d, int off, int len) {
        return (len >= 4 && d[off] == 0 && d[off + 1] == 0 && d[off + 2] == 0 && d[off + 3] == 1)
                || (len >= 3 && d[off] == 0 && d[off + 1] == 0 && d[off + 2] == 1);
    }

    private static int b(byte[] d, int off, int len, int i) {
        return i < len ? d[off + i] & 0xff : 0;
    }

    /** Access units the SDK reported sent. */
    public synchronized long framesSent() {
        return framesSent;
    }

    @Override
    void destroyNative() {
        lib.agora_local_video_track_destroy(handle);
        lib.agora_video_encoded_image_sender_destroy(sender);
    }
}
