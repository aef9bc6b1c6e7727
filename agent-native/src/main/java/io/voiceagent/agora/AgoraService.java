package io.voiceagent.agora;

import io.voiceagent.agora.internal.AgoraLibrary;
import io.voiceagent.agora.internal.AgoraStructs.AgoraServiceConfigStruct;
import io.voiceagent.agora.internal.Handles.LocalAudioTrackHandle;
import io.voiceagent.agora.internal.Handles.MediaNodeFactoryHandle;
import io.voiceagent.agora.internal.Handles.ParameterHandle;
import io.voiceagent.agora.internal.Handles.PcmSenderHandle;
import io.voiceagent.agora.internal.Handles.ServiceHandle;
import io.voiceagent.agora.internal.NativeLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import io.voiceagent.core.concurrent.DaemonThreads;
import io.voiceagent.core.pacing.AudioPacer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide entry point to the Agora SDK: owns the native service and its media node
 * factory, creates {@link RtcConnection}s and {@link LocalAudioTrack}s, and runs the shared pool on
 * which every connection's events are delivered.
 *
 * <p>Agora allows one service per process: {@link #create(AgoraServiceConfig)} fails while another
 * is open. Create it at start-up and close it at exit; {@link #close()} first closes every
 * connection and track still open (logging each as a leak), then destroys the factory and releases
 * the service. Thread-safe.
 *
 * <pre>{@code
 * try (AgoraService service = AgoraService.create(AgoraServiceConfig.builder().appId(appId).build());
 *      LocalAudioTrack track = service.createAudioTrack();
 *      RtcConnection conn = service.createConnection(RtcConnectionConfig.defaults())) {
 *     conn.connect(token, "support-42", "agent");
 *     conn.localUser().publishAudio(track);
 *     track.sender().send(pcm16k, PcmFormat.MONO_16K);   // or pace it with an AudioConsumer
 * }
 * }</pre>
 */
public final class AgoraService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgoraService.class);
    private static final AtomicReference<AgoraService> CURRENT = new AtomicReference<>();
    private static final String LABEL_PROVIDER = "agora.builtin";
    private static final String LABEL_EXTENSION = "agora_audio_label_generator";

    private final AgoraServiceConfig config;
    private final NativeLoader.Loaded nativeLib;
    private final AgoraLibrary lib;
    private final ServiceHandle handle;
    private final MediaNodeFactoryHandle factory;
    private final ExecutorService eventPool;
    private final Set<RtcConnection> connections = ConcurrentHashMap.newKeySet();
    private final Set<LocalAudioTrack> tracks = ConcurrentHashMap.newKeySet();
    // Video tracks and other children of io.voiceagent.agora.video (see TypedAccess.adopt).
    private final Set<AutoCloseable> children = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    // Guarded by this; started on first use.
    private AudioPacer pacer;

    private AgoraService(AgoraServiceConfig config, NativeLoader.Loaded nativeLib) {
        this.config = config;
        this.nativeLib = nativeLib;
        this.lib = nativeLib.agora();
        ServiceHandle h = lib.agora_service_create();
        if (h == null || h.getPointer() == null) {
            throw new AgoraException("agora_service_create", -1, "the SDK returned no service");
        }
        this.handle = h;
        MediaNodeFactoryHandle f = null;
        try {
            initialize();
            f = lib.agora_service_create_media_node_factory(h);
            if (f == null || f.getPointer() == null) {
                throw new AgoraException("agora_service_create_media_node_factory", -1, "the SDK returned no factory");
            }
        } catch (RuntimeException e) {
            lib.agora_service_release(h);
            throw e;
        }
        this.factory = f;
        this.eventPool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                DaemonThreads.named("agora-events-"));
    }

    private void initialize() {
        AgoraServiceConfigStruct c = new AgoraServiceConfigStruct();
        c.enable_audio_processor = config.enableAudioProcessor() ? 1 : 0;
        c.enable_audio_device = 0;
        c.enable_video = config.enableVideo() ? 1 : 0;
        c.context = null;
        c.app_id = config.appId();
        c.area_code = config.areaMask();
        c.channel_profile = config.channelProfile().value();
        c.audio_scenario = config.audioScenario().value();
        c.use_string_uid = config.useStringUid() ? 1 : 0;
        c.domain_limit = 0;
        c.write();
        AgoraException.check("agora_service_initialize", lib.agora_service_initialize(handle, c),
                "check the app id and that no other service is initialized in this process");
        if (!config.audioScenario().supportedByPinnedBuild()) {
            log.warn("Audio scenario {} needs a native SDK newer than the pinned 4.4.32 build", config.audioScenario());
        }
        ParameterHandle p = lib.agora_service_get_agora_parameter(handle);
        if (config.audioLabels()) {
            AgoraException.check("agora_service_enable_extension",
                    lib.agora_service_enable_extension(handle, LABEL_PROVIDER, LABEL_EXTENSION, null, 1));
            AgoraException.check("agora_parameter_set_parameters",
                    lib.agora_parameter_set_parameters(p, "{\"che.audio.label.enable\": true}"));
        }
        if (config.callbackWhenMuted()) {
            AgoraException.check("agora_parameter_set_parameters",
                    lib.agora_parameter_set_parameters(p, "{\"rtc.audio.enable_user_silence_packet\": true}"));
        }
        if (config.logFile().isPresent()) {
            AgoraException.check("agora_service_set_log_file", lib.agora_service_set_log_file(handle,
                    config.logFile().get().toAbsolutePath().toString(), config.logFileSizeBytes()));
        }
        AgoraException.check("agora_service_set_log_filter", lib.agora_service_set_log_filter(handle,
                config.logLevel().filter()));
    }

    /**
     * Loads the native library (see {@link #nativeLibraryDescription()}) and initializes the one
     * service of this process.
     *
     * @throws IllegalStateException if a service is already open in this process
     * @throws AgoraNativeUnavailableException if no native library can be loaded
     * @throws AgoraException if the SDK rejects the configuration
     */
    public static AgoraService create(AgoraServiceConfig config) {
        Objects.requireNonNull(config, "config");
        synchronized (CURRENT) {
            AgoraService existing = CURRENT.get();
            if (existing != null) {
                throw new IllegalStateException("An AgoraService is already open in this process (Agora allows one);"
                        + " share it, or close it first");
            }
            AgoraService s = new AgoraService(config, NativeLoader.get());
            CURRENT.set(s);
            log.info("Agora service started: {} ({})", config, s.nativeLib.description());
            return s;
        }
    }

    /** Whether a native library can be loaded; the first call loads it. Never throws. */
    public static boolean isNativeAvailable() {
        return NativeLoader.isAvailable();
    }

    /** What native library implements the C API in this process (loads it if needed). */
    public static String nativeLibraryDescription() {
        return NativeLoader.get().description();
    }

    /** Whether the embedded loopback library (not the real SDK) is in use (loads it if needed). */
    public static boolean isLoopback() {
        return NativeLoader.get().isLoopback();
    }

    /** This service's configuration. */
    public AgoraServiceConfig config() {
        return config;
    }

    /** Creates a connection with the default configuration. */
    public RtcConnection createConnection() {
        return createConnection(RtcConnectionConfig.defaults());
    }

    /** Creates a connection (not yet connected). Close it, or the service closes it at exit. */
    public RtcConnection createConnection(RtcConnectionConfig connectionConfig) {
        Objects.requireNonNull(connectionConfig, "connectionConfig");
        ensureOpen();
        RtcConnection c = new RtcConnection(this, lib, connectionConfig, eventPool);
        connections.add(c);
        if (closed.get()) {
            c.close();
            ensureOpen();
        }
        return c;
    }

    /** Creates a custom PCM audio track with its sender, with {@link AudioTrackOptions#defaults()}. */
    public LocalAudioTrack createAudioTrack() {
        return createAudioTrack(AudioTrackOptions.defaults());
    }

    /** Creates a custom PCM audio track with its sender. Close it, or the service closes it at exit. */
    public LocalAudioTrack createAudioTrack(AudioTrackOptions options) {
        Objects.requireNonNull(options, "options");
        ensureOpen();
        PcmSenderHandle sender = lib.agora_media_node_factory_create_audio_pcm_data_sender(factory);
        if (sender == null || sender.getPointer() == null) {
            throw new AgoraException("agora_media_node_factory_create_audio_pcm_data_sender", -1, "no sender");
        }
        LocalAudioTrackHandle track = lib.agora_service_create_custom_audio_track_pcm(handle, sender);
        if (track == null || track.getPointer() == null) {
            lib.agora_audio_pcm_data_sender_destroy(sender);
            throw new AgoraException("agora_service_create_custom_audio_track_pcm", -1, "no track");
        }
        LocalAudioTrack t = new LocalAudioTrack(this, lib, sender, track, options);
        tracks.add(t);
        return t;
    }

    /**
     * Sets SDK parameters as a JSON object, e.g. {@code {"che.audio.label.enable": true}}. For experts:
     * the keys are Agora's private parameters.
     */
    public void setParameters(String json) {
        Objects.requireNonNull(json, "json");
        ensureOpen();
        AgoraException.check("agora_parameter_set_parameters",
                lib.agora_parameter_set_parameters(lib.agora_service_get_agora_parameter(handle), json));
    }

    /** Sets one integer SDK parameter. */
    public void setParameter(String key, int value) {
        Objects.requireNonNull(key, "key");
        ensureOpen();
        AgoraException.check("agora_parameter_set_int",
                lib.agora_parameter_set_int(lib.agora_service_get_agora_parameter(handle), key, value), key);
    }

    /** Sets one boolean SDK parameter ({@code agora_parameter_set_bool}). */
    public void setParameter(String key, boolean value) {
        Objects.requireNonNull(key, "key");
        ensureOpen();
        AgoraException.check("agora_parameter_set_bool", lib.agora_parameter_set_bool(
                lib.agora_service_get_agora_parameter(handle), key, (byte) (value ? 1 : 0)), key);
    }

    /**
     * The process's audio pacer: one thread that sends the 10 ms frames of every paced output of this
     * service (agent sessions on {@code AgoraTransport} use it unless given another). Started on first
     * use; closed with the service, after every connection and track.
     *
     * @throws IllegalStateException if the service is closed
     */
    public synchronized AudioPacer audioPacer() {
        ensureOpen();
        if (pacer == null) {
            pacer = AudioPacer.start();
        }
        return pacer;
    }

    /** Connections created and not yet closed. */
    public List<RtcConnection> openConnections() {
        return List.copyOf(connections);
    }

    /** Tracks created and not yet closed. */
    public List<LocalAudioTrack> openTracks() {
        return List.copyOf(tracks);
    }

    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Closes every open connection, then every open track (each logged as a leak), destroys the
     * media node factory and releases the service. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<AutoCloseable> leaked = new ArrayList<>(connections);
        leaked.addAll(children);
        leaked.addAll(tracks);
        for (AutoCloseable c : leaked) {
            log.warn("{} was still open when the service closed; closing it", c);
            try {
                c.close();
            } catch (Exception e) {
                log.warn("Closing {} failed", c, e);
            }
        }
        AudioPacer p;
        synchronized (this) {
            p = pacer;
        }
        if (p != null) {
            p.close();
        }
        lib.agora_media_node_factory_destroy(factory);
        int rc = lib.agora_service_release(handle);
        if (rc != 0) {
            log.warn("agora_service_release returned {}", rc);
        }
        eventPool.shutdown();
        try {
            if (!eventPool.awaitTermination(2, TimeUnit.SECONDS)) {
                log.warn("Event pool did not finish within 2 s; a listener may be blocked");
                eventPool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (CURRENT) {
            CURRENT.compareAndSet(this, null);
        }
        log.info("Agora service released");
    }

    // ---- package-private ----

    ServiceHandle serviceHandle() {
        return handle;
    }

    ExecutorService eventPool() {
        return eventPool;
    }

    AgoraLibrary library() {
        return lib;
    }

    <T> T withHandles(io.voiceagent.agora.internal.TypedAccess.ServiceAction<T> action) {
        ensureOpen();
        return action.apply(handle, factory);
    }

    void adopt(AutoCloseable child) {
        ensureOpen();
        children.add(child);
    }

    void disown(AutoCloseable child) {
        children.remove(child);
    }

    void onConnectionClosed(RtcConnection c) {
        connections.remove(c);
    }

    void onTrackClosed(LocalAudioTrack t) {
        tracks.remove(t);
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("AgoraService is closed");
        }
    }

}
