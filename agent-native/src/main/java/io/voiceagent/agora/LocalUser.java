package io.voiceagent.agora;

import io.voiceagent.core.vad.VadOptions;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.voiceagent.agora.internal.AgoraLibrary;
import io.voiceagent.agora.internal.Handles.LocalUserHandle;
import io.voiceagent.agora.internal.TypedAccess;
import io.voiceagent.core.audio.PcmFormat;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This side of a {@link RtcConnection} in the channel: publishes local audio tracks, chooses whose
 * audio to receive, and delivers received audio. Owned by its connection (the SDK frees the local
 * user with the connection); every method throws {@link IllegalStateException} once the connection
 * is closed. Thread-safe.
 */
public final class LocalUser {
    private static final Logger log = LoggerFactory.getLogger(LocalUser.class);
    /** Largest audio metadata message, in bytes. */
    public static final int MAX_METADATA_BYTES = 1024;

    private final RtcConnection conn;
    private final AgoraLibrary lib;
    private final LocalUserHandle handle;
    private final Set<LocalAudioTrack> published = ConcurrentHashMap.newKeySet();
    // Video tracks published and video observers registered here (io.voiceagent.agora.video).
    private final Set<TypedAccess.ConnectionResource> resources = ConcurrentHashMap.newKeySet();
    // Guarded by conn's handle lock (write) or this.
    private boolean audioObserverRegistered;
    private boolean userObserverRegistered;

    LocalUser(RtcConnection conn, AgoraLibrary lib, LocalUserHandle handle) {
        this.conn = conn;
        this.lib = lib;
        this.handle = handle;
    }

    void registerObserver(Pointer observer) {
        AgoraException.check("agora_local_user_register_observer", lib.agora_local_user_register_observer(handle,
                observer));
        userObserverRegistered = true;
    }

    /** The connection this local user belongs to. */
    public RtcConnection connection() {
        return conn;
    }

    /**
     * Publishes {@code track} to the channel; its audio reaches every subscribed remote user.
     *
     * @throws IllegalStateException if the track is closed or already published on another connection
     */
    public void publishAudio(LocalAudioTrack track) {
        Objects.requireNonNull(track, "track");
        conn.withHandle(() -> {
            track.attachPublisher(this);
            int rc = lib.agora_local_user_publish_audio(handle, track.handle());
            if (rc != 0) {
                track.detachPublisher(this);
                throw new AgoraException("agora_local_user_publish_audio", rc, null);
            }
            published.add(track);
            return null;
        });
    }

    /** Stops publishing {@code track}; does nothing if it is not published here. */
    public void unpublishAudio(LocalAudioTrack track) {
        Objects.requireNonNull(track, "track");
        conn.withHandle(() -> {
            unpublishLocked(track);
            return null;
        });
    }

    private void unpublishLocked(LocalAudioTrack track) {
        if (!published.remove(track)) {
            return;
        }
        int rc = lib.agora_local_user_unpublish_audio(handle, track.handle());
        track.detachPublisher(this);
        AgoraException.check("agora_local_user_unpublish_audio", rc);
    }

    /** Called by a track that is being closed while published here. */
    void unpublishForTrackClose(LocalAudioTrack track) {
        if (conn.isClosed()) {
            return;
        }
        try {
            conn.withHandle(() -> {
                unpublishLocked(track);
                return null;
            });
        } catch (IllegalStateException closedMeanwhile) {
            // The connection closed concurrently and unpublished the track itself.
        }
    }

    /** Receives {@code userId}'s audio (needed when auto-subscribe is off). */
    public void subscribeAudio(String userId) {
        RtcConnection.validateUserId(userId);
        call("agora_local_user_subscribe_audio", () -> lib.agora_local_user_subscribe_audio(handle, userId));
    }

    /** Stops receiving {@code userId}'s audio. */
    public void unsubscribeAudio(String userId) {
        RtcConnection.validateUserId(userId);
        call("agora_local_user_unsubscribe_audio", () -> lib.agora_local_user_unsubscribe_audio(handle, userId));
    }

    /** Receives every remote user's audio. */
    public void subscribeAllAudio() {
        call("agora_local_user_subscribe_all_audio", () -> lib.agora_local_user_subscribe_all_audio(handle));
    }

    /** Stops receiving any remote user's audio. */
    public void unsubscribeAllAudio() {
        call("agora_local_user_unsubscribe_all_audio", () -> lib.agora_local_user_unsubscribe_all_audio(handle));
    }

    /**
     * Delivers each subscribed remote user's audio to {@code listener}, one 10 ms frame per user per
     * call, in the connection's {@link RtcConnectionConfig#receiveFormat()}. Replaces any previous
     * listener; {@code null} stops delivery (the SDK observer stays registered until close).
     */
    public void setRemoteAudioListener(RemoteAudioListener listener) {
        conn.withHandle(() -> {
            synchronized (this) {
                if (listener != null) {
                    registerAudioObserver();
                }
                conn.setAudioListener(listener);
            }
            return null;
        });
    }

    /**
     * Runs a VAD per remote user on the received audio (in the connection's receive format) and
     * reports turns to {@code listener} on the connection's event executor. Each user gets a
     * detector on their first frame; it is closed when they leave. Works together with a
     * {@link RemoteAudioListener}. Replaces any VAD enabled before.
     */
    public void enableVad(VadOptions options, SpeechListener listener) {
        java.util.Objects.requireNonNull(options, "options");
        java.util.Objects.requireNonNull(listener, "listener");
        conn.withHandle(() -> {
            synchronized (this) {
                registerAudioObserver();
                conn.setVad(new RemoteUserVad(conn, options, listener, conn::offerEvent));
            }
            return null;
        });
    }

    /** Stops the per-user VAD and releases its state. */
    public void disableVad() {
        conn.withHandle(() -> {
            conn.setVad(null);
            return null;
        });
    }

    // Guarded by this.
    private void registerAudioObserver() {
        if (audioObserverRegistered) {
            return;
        }
        PcmFormat f = conn.config().receiveFormat();
        AgoraException.check("agora_local_user_set_playback_audio_frame_before_mixing_parameters",
                lib.agora_local_user_set_playback_audio_frame_before_mixing_parameters(handle, f.channels(),
                        f.sampleRateHz()));
        AgoraException.check("agora_local_user_register_audio_frame_observer",
                lib.agora_local_user_register_audio_frame_observer(handle,
                        ConnectionCallbacks.AUDIO_FRAME_OBSERVER.getPointer()));
        audioObserverRegistered = true;
    }

    /**
     * Sends a small binary message that travels with this side's audio (for example captions
     * timing); remote users get {@link RtcConnectionListener#onAudioMetadata}.
     *
     * @param metadata 1 to {@value #MAX_METADATA_BYTES} bytes
     */
    public void sendAudioMetadata(byte[] metadata) {
        Objects.requireNonNull(metadata, "metadata");
        if (metadata.length == 0 || metadata.length > MAX_METADATA_BYTES) {
            throw new IllegalArgumentException("metadata must be 1 to " + MAX_METADATA_BYTES + " bytes; got "
                    + metadata.length);
        }
        Memory m = new Memory(metadata.length);
        m.write(0, metadata, 0, metadata.length);
        call("agora_local_user_send_audio_meta_data",
                () -> lib.agora_local_user_send_audio_meta_data(handle, m, metadata.length));
    }

    /**
     * Turns on {@link RtcConnectionListener#onAudioVolumeIndication} every {@code interval}.
     *
     * @param interval at least 10 ms (Agora recommends 200 ms or more)
     * @param smooth smoothing factor 0-10 (Agora's default 3)
     * @param reportVad whether each entry carries the SDK's voice-activity flag
     */
    public void enableVolumeIndication(Duration interval, int smooth, boolean reportVad) {
        Objects.requireNonNull(interval, "interval");
        if (interval.toMillis() < 10) {
            throw new IllegalArgumentException("interval must be >= 10 ms; got " + interval.toMillis() + " ms");
        }
        if (smooth < 0 || smooth > 10) {
            throw new IllegalArgumentException("smooth must be in [0, 10]; got " + smooth);
        }
        call("agora_local_user_set_audio_volume_indication_parameters",
                () -> lib.agora_local_user_set_audio_volume_indication_parameters(handle, (int) interval.toMillis(),
                        smooth, (byte) (reportVad ? 1 : 0)));
    }

    /** Turns volume indications off. */
    public void disableVolumeIndication() {
        call("agora_local_user_set_audio_volume_indication_parameters",
                () -> lib.agora_local_user_set_audio_volume_indication_parameters(handle, 0, 3, (byte) 0));
    }

    /** Sets this user's audio scenario (the service's scenario is applied to new connections). */
    public void setAudioScenario(AudioScenario scenario) {
        Objects.requireNonNull(scenario, "scenario");
        call("agora_local_user_set_audio_scenario", () -> lib.agora_local_user_set_audio_scenario(handle,
                scenario.value()));
    }

    /** Changes this user's role in the channel. */
    public void setUserRole(ClientRole role) {
        Objects.requireNonNull(role, "role");
        conn.withHandle(() -> {
            lib.agora_local_user_set_user_role(handle, role.value());
            return null;
        });
    }

    /** This user's role as the SDK reports it. */
    public ClientRole userRole() {
        int v = conn.withHandle(() -> lib.agora_local_user_get_user_role(handle));
        for (ClientRole r : ClientRole.values()) {
            if (r.value() == v) {
                return r;
            }
        }
        throw new AgoraException("agora_local_user_get_user_role", v, "unknown role value");
    }

    /** Tracks currently published by this user. */
    public Set<LocalAudioTrack> publishedTracks() {
        return Set.copyOf(published);
    }

    LocalUserHandle handle() {
        return handle;
    }

    private void call(String function, java.util.function.IntSupplier c) {
        conn.withHandle(() -> {
            AgoraException.check(function, c.getAsInt());
            return null;
        });
    }

    void attach(TypedAccess.ConnectionResource resource) {
        resources.add(Objects.requireNonNull(resource, "resource"));
    }

    void detach(TypedAccess.ConnectionResource resource) {
        resources.remove(resource);
    }

    /** Under the connection's write lock: video tracks unpublish, video observers unregister. */
    private void releaseResources() {
        for (TypedAccess.ConnectionResource r : List.copyOf(resources)) {
            resources.remove(r);
            try {
                r.releaseForConnection(handle);
            } catch (RuntimeException e) {
                log.warn("{}: releasing {} failed", conn, r, e);
            }
        }
    }

    /** Part of a pool's reset, under the connection's write lock: unpublish and stop extra callbacks. */
    void resetForReuse() {
        releaseResources();
        for (LocalAudioTrack t : published) {
            unpublishLocked(t);
        }
        warnIfFailed("agora_local_user_set_audio_volume_indication_parameters",
                lib.agora_local_user_set_audio_volume_indication_parameters(handle, 0, 3, (byte) 0));
        if (conn.config().autoSubscribeAudio()) {
            warnIfFailed("agora_local_user_subscribe_all_audio", lib.agora_local_user_subscribe_all_audio(handle));
        }
    }

    /** Part of the connection's close, under its write lock: unpublish, then unregister observers. */
    void releaseForClose() {
        releaseResources();
        for (LocalAudioTrack t : published) {
            try {
                unpublishLocked(t);
            } catch (RuntimeException e) {
                log.warn("{}: unpublishing {} during close failed", conn, t, e);
            }
        }
        synchronized (this) {
            if (audioObserverRegistered) {
                warnIfFailed("agora_local_user_unregister_audio_frame_observer",
                        lib.agora_local_user_unregister_audio_frame_observer(handle));
                audioObserverRegistered = false;
            }
            if (userObserverRegistered) {
                warnIfFailed("agora_local_user_unregister_observer", lib.agora_local_user_unregister_observer(handle));
                userObserverRegistered = false;
            }
        }
    }

    private void warnIfFailed(String function, int rc) {
        if (rc != 0) {
            log.warn("{}: {} returned {} during close", conn, function, rc);
        }
    }
}
