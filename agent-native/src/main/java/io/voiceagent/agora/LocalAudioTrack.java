package io.voiceagent.agora;

import io.voiceagent.agora.internal.HandleGuard;
import io.voiceagent.agora.internal.AgoraLibrary;
import io.voiceagent.agora.internal.Handles.LocalAudioTrackHandle;
import io.voiceagent.agora.internal.Handles.PcmSenderHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A custom PCM audio track and the {@link AudioPcmSender} that feeds it: what an agent publishes
 * to speak in a channel. Created by {@link AgoraService#createAudioTrack(AudioTrackOptions)}; it owns
 * both native handles (track and PCM sender).
 *
 * <p>Thread-safe. {@link #close()} is idempotent and releases in Agora's order: unpublish (if
 * published), disable, destroy the track, destroy the sender. After close every method throws
 * {@link IllegalStateException}.
 */
public final class LocalAudioTrack implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalAudioTrack.class);
    private static final AtomicLong SERIAL = new AtomicLong();

    private final AgoraService service;
    private final AgoraLibrary lib;
    private final long serial = SERIAL.incrementAndGet();
    private final PcmSenderHandle senderHandle;
    private final LocalAudioTrackHandle handle;
    private final AudioTrackOptions options;
    private final AudioPcmSender sender;
    private final AtomicReference<LocalUser> publisher = new AtomicReference<>();
    private final HandleGuard guard = new HandleGuard(this);
    private volatile boolean enabled;

    LocalAudioTrack(AgoraService service, AgoraLibrary lib, PcmSenderHandle senderHandle, LocalAudioTrackHandle handle,
            AudioTrackOptions options) {
        this.service = service;
        this.lib = lib;
        this.senderHandle = senderHandle;
        this.handle = handle;
        this.options = options;
        this.sender = new AudioPcmSender(this, lib, senderHandle);
        lib.agora_local_audio_track_set_send_delay_ms(handle, (int) options.sendDelay().toMillis());
        lib.agora_local_audio_track_set_max_bufferd_frame_number(handle, options.maxBufferedFrames());
        setEnabled(true);
    }

    /** The sender that pushes PCM into this track. */
    public AudioPcmSender sender() {
        ensureOpen();
        return sender;
    }

    /** This track's options. */
    public AudioTrackOptions options() {
        return options;
    }

    /** Enables or disables the track; a disabled track sends nothing. New tracks are enabled. */
    public void setEnabled(boolean enable) {
        withHandle(() -> {
            lib.agora_local_audio_track_set_enabled(handle, enable ? 1 : 0);
            enabled = enable;
            return null;
        });
    }

    /** Whether the track is enabled, as last set through this object. */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Drops the audio queued in the SDK's send buffer (barge-in). When this returns, no frame that was
     * queued before the call will be sent.
     */
    public void clearSenderBuffer() {
        withHandle(() -> {
            AgoraException.check("agora_local_audio_track_clear_sender_buffer",
                    lib.agora_local_audio_track_clear_sender_buffer(handle));
            return null;
        });
    }

    /**
     * Sets the published volume.
     *
     * @param volume 0 (mute) to 100 (original)
     */
    public void setPublishVolume(int volume) {
        if (volume < 0 || volume > 100) {
            throw new IllegalArgumentException("volume must be in [0, 100]; got " + volume);
        }
        withHandle(() -> {
            AgoraException.check("agora_local_audio_track_adjust_publish_volume",
                    lib.agora_local_audio_track_adjust_publish_volume(handle, volume));
            return null;
        });
    }

    /** The local user this track is published by, if any. */
    public java.util.Optional<LocalUser> publisher() {
        return java.util.Optional.ofNullable(publisher.get());
    }

    public boolean isClosed() {
        return guard.isClosed();
    }

    /** Releases the track and its sender (see the class comment). Idempotent. */
    @Override
    public void close() {
        LocalUser user = publisher.get();
        if (user != null) {
            // Before taking our write lock: unpublishing takes the connection's lock.
            user.unpublishForTrackClose(this);
        }
        if (!guard.closeOnce(() -> {
            lib.agora_local_audio_track_set_enabled(handle, 0);
            enabled = false;
            lib.agora_local_audio_track_destroy(handle);
            lib.agora_audio_pcm_data_sender_destroy(senderHandle);
        })) {
            return;
        }
        service.onTrackClosed(this);
        log.debug("Closed audio track #{}", serial);
    }

    @Override
    public String toString() {
        return "LocalAudioTrack#" + serial + (guard.isClosed() ? "[closed]" : "");
    }

    LocalAudioTrackHandle handle() {
        return handle;
    }

    void attachPublisher(LocalUser user) {
        ensureOpen();
        LocalUser prev = publisher.compareAndExchange(null, user);
        if (prev != null && prev != user) {
            throw new IllegalStateException(this + " is already published on " + prev.connection()
                    + "; unpublish it there first");
        }
    }

    void detachPublisher(LocalUser user) {
        publisher.compareAndSet(user, null);
    }

    <T> T withHandle(java.util.function.Supplier<T> action) {
        return guard.withHandle(action);
    }

    void ensureOpen() {
        guard.ensureOpen();
    }
}
