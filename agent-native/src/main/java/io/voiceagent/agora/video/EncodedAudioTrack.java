package io.voiceagent.agora.video;

import com.sun.jna.Memory;
import io.voiceagent.agora.AgoraException;
import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.internal.AgoraLibrary;
import io.voiceagent.agora.internal.AgoraStructs.EncodedAudioFrameInfoStruct;
import io.voiceagent.agora.internal.Handles.EncodedAudioSenderHandle;
import io.voiceagent.agora.internal.Handles.LocalAudioTrackHandle;
import io.voiceagent.agora.internal.Handles.LocalUserHandle;
import io.voiceagent.agora.internal.TypedAccess;
import java.util.Objects;

/**
 * An audio track fed with already encoded frames (AAC or Opus packets from a file), as Agora's
 * {@code example_audio_encoded_send} does: owns its encoded audio frame sender and the track
 * ({@code agora_service_create_custom_audio_track_encoded}), published as audio. Frames are sent
 * when given: pace them yourself (one frame per frame duration). Does not need video enabled.
 *
 * <p>Thread-safe; sends are serialized. See {@link MediaTrack} for publishing and close.
 */
public final class EncodedAudioTrack extends MediaTrack {
    /** Largest frame accepted, in bytes. */
    public static final int MAX_FRAME_BYTES = 8192;

    private final EncodedAudioSenderHandle sender;
    private final LocalAudioTrackHandle handle;
    private final boolean mixable;
    // Guarded by this.
    private final EncodedAudioFrameInfoStruct info = new EncodedAudioFrameInfoStruct();
    private final Memory buffer = new Memory(MAX_FRAME_BYTES);
    private long framesSent;

    private EncodedAudioTrack(AgoraService service, AgoraLibrary lib, EncodedAudioSenderHandle sender,
            LocalAudioTrackHandle handle, boolean mixable) {
        super(service, lib);
        this.sender = sender;
        this.handle = handle;
        this.mixable = mixable;
        setEnabled(true);
    }

    /** A track whose audio is not mixed with other local audio (MIX_DISABLED, what both SDKs' samples use). */
    public static EncodedAudioTrack create(AgoraService service) {
        return create(service, false);
    }

    /**
     * Creates the track and its sender (enabled, not published).
     *
     * @param mixable whether the SDK may mix this track with other local audio (mix mode 0)
     * @throws AgoraException naming the C function if the SDK refused
     */
    public static EncodedAudioTrack create(AgoraService service, boolean mixable) {
        Objects.requireNonNull(service, "service");
        AgoraLibrary lib = TypedAccess.get().library(service);
        return TypedAccess.get().withService(service, (svc, factory) -> {
            EncodedAudioSenderHandle s = lib.agora_media_node_factory_create_audio_encoded_frame_sender(factory);
            if (s == null || s.getPointer() == null) {
                throw new AgoraException("agora_media_node_factory_create_audio_encoded_frame_sender", -1, "no sender");
            }
            LocalAudioTrackHandle t = lib.agora_service_create_custom_audio_track_encoded(svc, s, mixable ? 0 : 1);
            if (t == null || t.getPointer() == null) {
                lib.agora_audio_encoded_frame_sender_destroy(s);
                throw new AgoraException("agora_service_create_custom_audio_track_encoded", -1, "no track");
            }
            return new EncodedAudioTrack(service, lib, s, t, mixable);
        });
    }

    /** Whether the SDK may mix this track with other local audio. */
    public boolean mixable() {
        return mixable;
    }

    /**
     * Sends one encoded frame ({@code agora_audio_encoded_frame_sender_send}).
     *
     * @throws IllegalArgumentException if the frame is empty or larger than {@value #MAX_FRAME_BYTES} bytes
     * @throws AgoraException naming the C function if the SDK refused it
     */
    public void send(byte[] payload, EncodedAudioFrameInfo frameInfo) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(frameInfo, "frameInfo");
        if (payload.length == 0 || payload.length > MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("an encoded audio frame must be 1.." + MAX_FRAME_BYTES + " bytes; got "
                    + payload.length);
        }
        guard.withHandle(() -> {
            synchronized (this) {
                buffer.write(0, payload, 0, payload.length);
                info.speech = frameInfo.speech() ? 1 : 0;
                info.codec = frameInfo.codec().value();
                info.sample_rate_hz = frameInfo.sampleRateHz();
                info.samples_per_channel = frameInfo.samplesPerChannel();
                info.send_even_if_empty = frameInfo.sendEvenIfEmpty() ? 1 : 0;
                info.number_of_channels = frameInfo.channels();
                info.write();
                int rc = lib.agora_audio_encoded_frame_sender_send(sender, buffer, payload.length, info);
                if (rc < 0) {
                    throw new AgoraException("agora_audio_encoded_frame_sender_send", rc, payload.length + " bytes, "
                            + frameInfo);
                }
                framesSent++;
            }
            return null;
        });
    }

    /** Frames the SDK accepted through this object. */
    public synchronized long framesSent() {
        return framesSent;
    }

    @Override
    int publishNative(LocalUserHandle user) {
        return lib.agora_local_user_publish_audio(user, handle);
    }

    @Override
    int unpublishNative(LocalUserHandle user) {
        return lib.agora_local_user_unpublish_audio(user, handle);
    }

    @Override
    String publishFunction() {
        return "agora_local_user_publish_audio";
    }

    @Override
    String unpublishFunction() {
        return "agora_local_user_unpublish_audio";
    }

    @Override
    com.sun.jna.Pointer nativeTrack() {
        return handle.getPointer();
    }

    @Override
    void setEnabledNative(boolean enable) {
        lib.agora_local_audio_track_set_enabled(handle, enable ? 1 : 0);
    }

    @Override
    void destroyNative() {
        lib.agora_local_audio_track_destroy(handle);
        lib.agora_audio_encoded_frame_sender_destroy(sender);
    }
}
