package io.voiceagent.server.avatar;

import io.voiceagent.agora.AgoraException;
import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.AudioTrackOptions;
import io.voiceagent.agora.LocalAudioTrack;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.RtcConnectionConfig;
import io.voiceagent.agora.RtcConnectionListener;
import io.voiceagent.agora.video.LocalVideoTrack;
import io.voiceagent.agora.video.VideoEncoderConfig;
import io.voiceagent.agora.video.VideoFrame;
import io.voiceagent.agora.video.VideoPixelFormat;
import io.voiceagent.core.avatar.AvatarAudioIn;
import io.voiceagent.core.concurrent.DaemonThreads;
import io.voiceagent.server.EmbeddedServer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An avatar worker (seed 004): joins the user's channel, accepts one agent on a WebSocket
 * ({@link AvatarSocket}) that streams its speech with the avatar protocol, plays that speech into a
 * published audio track and draws a face whose mouth follows it ({@link FaceRenderer}) into a
 * published video track, both on one 10 ms clock so they stay in sync. Control messages
 * ({@code INTERRUPT}, {@code segment_end}) are also accepted from the channel's data streams.
 *
 * <pre>{@code
 * try (AvatarWorker avatar = AvatarWorker.start(service, AvatarWorkerConfig.builder("support-42").build())) {
 *     // the agent: AvatarAudioOut.connect(avatar.webSocketUri(), pacer)
 * }
 * }</pre>
 *
 * <p><b>The clock.</b> Every worker of the process ticks on one shared scheduler
 * ({@value #CLOCK_THREAD}-N daemon threads, one per core) every 10 ms on absolute deadlines: a tick
 * hands the next queued 10 ms frame to the audio track (a talk spurt starts with
 * {@link AvatarWorkerConfig#audioLeadFrames()} extra frames so the SDK's buffer never runs dry), and
 * every {@code 1000 / fps / 10} ticks renders and sends one video frame whose mouth shows the level of
 * the audio handed over in the last frame interval ({@link AvatarWorkerConfig#videoDelay()} earlier).
 * An {@code INTERRUPT} clears the queue and the audio track's send buffer at once.
 *
 * <p><b>Ownership.</b> Owns its connection, its two tracks and its WebSocket server; not the service.
 * {@link #close()} stops the clock, closes the agent's socket and the server, then releases the
 * connection (unpublishing both tracks) and the tracks. Thread-safe; close is idempotent.
 */
public final class AvatarWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AvatarWorker.class);
    /** Name prefix of the shared clock threads. */
    public static final String CLOCK_THREAD = "avatar-clock-";
    private static final long TICK_NANOS = 10_000_000L;
    private static final int LEVEL_HISTORY = 64;

    private static final class Clock {
        static final ScheduledExecutorService INSTANCE = Executors.newScheduledThreadPool(
                Math.max(1, Runtime.getRuntime().availableProcessors()), DaemonThreads.named(CLOCK_THREAD));
    }

    /**
     * Counters since start.
     *
     * @param videoFramesSent frames the video track accepted
     * @param audioFramesSent 10 ms frames the audio track accepted
     * @param audioFramesRefused frames the SDK refused (its send buffer was full)
     * @param renderNanos time spent drawing frames
     * @param videoSendNanos time spent handing frames to the SDK
     * @param ticks clock ticks run
     * @param lateTicks ticks that ran more than 20 ms after their deadline
     * @param acksSent {@code stream_ended} acks sent to the agent
     * @param dataStreamMessages control messages received over data streams
     * @param lastAudioSentNanos {@link System#nanoTime()} of the last audio frame handed to the SDK (0 = none)
     * @param lastInterruptNanos {@link System#nanoTime()} of the last interrupt that was not ignored (0 = none)
     */
    public record Stats(long videoFramesSent, long audioFramesSent, long audioFramesRefused, long renderNanos,
            long videoSendNanos, long ticks, long lateTicks, long acksSent, long dataStreamMessages,
            long lastAudioSentNanos, long lastInterruptNanos) {}

    private final AvatarWorkerConfig config;
    private final RtcConnection connection;
    private final LocalAudioTrack audioTrack;
    private final LocalVideoTrack videoTrack;
    private final AvatarAudioIn audioIn;
    private final FaceRenderer renderer;
    private final EmbeddedServer server;
    private final AtomicReference<AvatarSocket> agent = new AtomicReference<>();
    private final ReentrantLock tickLock = new ReentrantLock();
    private volatile boolean closed;
    private volatile boolean interruptPending;
    private ScheduledFuture<?> clock;

    // Confined to the clock (under tickLock).
    private long startNanos;
    private long tickIndex;
    private double mouth;
    private final double[] levels = new double[LEVEL_HISTORY];
    private final int ticksPerVideoFrame;
    private final int delayTicks;

    private final AtomicLong videoFramesSent = new AtomicLong();
    private final AtomicLong audioFramesSent = new AtomicLong();
    private final AtomicLong audioFramesRefused = new AtomicLong();
    private final AtomicLong renderNanos = new AtomicLong();
    private final AtomicLong videoSendNanos = new AtomicLong();
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong lateTicks = new AtomicLong();
    private final AtomicLong acksSent = new AtomicLong();
    private final AtomicLong dataStreamMessages = new AtomicLong();
    private final AtomicLong tickErrors = new AtomicLong();
    private volatile long lastAudioSentNanos;
    // Written by the clock: when the current talk spurt's first frame went to the SDK, and how many since.
    private volatile long spurtStartNanos;
    private volatile long spurtFrames;
    private volatile long lastInterruptNanos;

    private AvatarWorker(AgoraService service, AvatarWorkerConfig config) {
        this.config = config;
        this.ticksPerVideoFrame = config.frameMillis() / 10;
        this.delayTicks = (int) (config.videoDelay().toMillis() / 10);
        this.renderer = new FaceRenderer(config.width(), config.height(), config.backgroundRgb());
        this.audioIn = AvatarAudioIn.builder().format(config.audioFormat()).cooldown(config.cooldown())
                .ackSink(this::sendAck).onInterrupt(this::onInterrupt).unplayedFrames(this::unplayedFrames).build();
        RtcConnection conn = null;
        LocalAudioTrack audio = null;
        LocalVideoTrack video = null;
        EmbeddedServer ws = null;
        try {
            conn = service.createConnection(RtcConnectionConfig.builder().autoSubscribeAudio(false).build());
            audio = service.createAudioTrack(AudioTrackOptions.defaults());
            video = LocalVideoTrack.create(service, VideoEncoderConfig.builder(config.width(), config.height())
                    .frameRate(config.fps()).build());
            conn.addListener(new RtcConnectionListener() {
                @Override
                public void onStreamMessage(RtcConnection c, String userId, int streamId, byte[] data) {
                    dataStreamMessages.incrementAndGet();
                    audioIn.onText(new String(data, StandardCharsets.UTF_8));
                }
            });
            conn.connect(config.token(), config.channel(), config.userId());
            conn.localUser().publishAudio(audio);
            video.publish(conn);
            ws = EmbeddedServer.builder().host(config.host()).port(config.port())
                    .webSocket(config.path(), (req, resp, cb) -> new AvatarSocket(this)).build().start();
        } catch (RuntimeException e) {
            if (ws != null) {
                ws.close();
            }
            if (conn != null) {
                conn.close();
            }
            if (video != null) {
                video.close();
            }
            if (audio != null) {
                audio.close();
            }
            throw e;
        }
        this.connection = conn;
        this.audioTrack = audio;
        this.videoTrack = video;
        this.server = ws;
    }

    /**
     * Joins, publishes, opens the WebSocket and starts drawing.
     *
     * @param service a service with video enabled
     * @throws IllegalStateException if the service has no video, or the port cannot be bound
     * @throws io.voiceagent.agora.RtcConnectException if joining fails (nothing is left open)
     */
    public static AvatarWorker start(AgoraService service, AvatarWorkerConfig config) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(config, "config");
        AvatarWorker w = new AvatarWorker(service, config);
        w.clock = Clock.INSTANCE.scheduleAtFixedRate(w::tick, 0, TICK_NANOS, TimeUnit.NANOSECONDS);
        log.info("Avatar worker on channel '{}' as '{}': {}x{} at {} fps, agent WebSocket {}", config.channel(),
                config.userId(), config.width(), config.height(), config.fps(), w.webSocketUri());
        return w;
    }

    /** Where the agent connects: {@code ws://host:port/path}. */
    public URI webSocketUri() {
        return URI.create(server.uri().toString().replaceFirst("^http", "ws") + config.path());
    }

    public AvatarWorkerConfig config() {
        return config;
    }

    /** The worker's queue of audio and segment ends (for its counters). */
    public AvatarAudioIn audioIn() {
        return audioIn;
    }

    /** The worker's connection to the channel. */
    public RtcConnection connection() {
        return connection;
    }

    /** The face renderer (its geometry: where the mouth is). */
    public FaceRenderer renderer() {
        return renderer;
    }

    public LocalVideoTrack videoTrack() {
        return videoTrack;
    }

    public LocalAudioTrack audioTrack() {
        return audioTrack;
    }

    /** Whether an agent is connected. */
    public boolean hasAgent() {
        return agent.get() != null;
    }

    public Stats stats() {
        return new Stats(videoFramesSent.get(), audioFramesSent.get(), audioFramesRefused.get(), renderNanos.get(),
                videoSendNanos.get(), ticks.get(), lateTicks.get(), acksSent.get(), dataStreamMessages.get(),
                lastAudioSentNanos, lastInterruptNanos);
    }

    // ---- the agent's socket ----

    boolean attach(AvatarSocket s) {
        return !closed && agent.compareAndSet(null, s);
    }

    boolean isAttached(AvatarSocket s) {
        return agent.get() == s;
    }

    /** The agent left: whatever it was saying stops. */
    void detach(AvatarSocket s) {
        if (agent.compareAndSet(s, null)) {
            audioIn.interrupt();
            log.info("{}: the agent disconnected", this);
        }
    }

    private void sendAck(String ack) {
        AvatarSocket s = agent.get();
        if (s != null) {
            s.send(ack);
            acksSent.incrementAndGet();
        }
    }

    /**
     * Frames handed to the SDK in this talk spurt that it has not sent yet: the SDK sends one per
     * 10 ms from the spurt's first frame, so this is what is handed minus what 10 ms steps have passed.
     */
    private int unplayedFrames() {
        long frames = spurtFrames;
        if (frames == 0) {
            return 0;
        }
        long elapsed = (System.nanoTime() - spurtStartNanos) / TICK_NANOS + 1;
        return (int) Math.max(0, Math.min(frames, frames - elapsed));
    }

    /** Any thread (the socket's or a data stream's): silence now, the clock restarts the talk spurt. */
    private void onInterrupt() {
        lastInterruptNanos = System.nanoTime();
        interruptPending = true;
        if (!closed) {
            try {
                audioTrack.clearSenderBuffer();
            } catch (IllegalStateException closing) {
                // The worker is closing.
            }
        }
    }

    // ---- the clock ----

    private void tick() {
        if (!tickLock.tryLock()) {
            return;
        }
        try {
            if (closed) {
                return;
            }
            long now = System.nanoTime();
            if (tickIndex == 0) {
                startNanos = now;
            } else if (now - (startNanos + tickIndex * TICK_NANOS) > 2 * TICK_NANOS) {
                lateTicks.incrementAndGet();
            }
            ticks.incrementAndGet();
            playAudio();
            if (tickIndex % ticksPerVideoFrame == 0) {
                sendVideo();
            }
            tickIndex++;
        } catch (Throwable t) {
            long n = tickErrors.incrementAndGet();
            if (n <= 10 || n % 1000 == 0) {
                log.warn("{}: clock tick #{} failed (#{}); the clock goes on", this, tickIndex, n, t);
            }
            tickIndex++;
        } finally {
            tickLock.unlock();
        }
    }

    // Clock only. Keeps the SDK's send buffer at about audioLeadFrames: a talk spurt (the buffer ran
    // dry) starts with the lead; after that one frame per tick, and none while the clock ran ahead
    // (a catch-up burst after a stall), so frames wait here, where an INTERRUPT drops them.
    private void playAudio() {
        if (interruptPending) {
            interruptPending = false;
            spurtFrames = 0; // the SDK's buffer was cleared
        }
        double level = 0;
        int buffered = unplayedFrames();
        if (buffered <= config.audioLeadFrames()) {
            byte[] frame = audioIn.poll();
            if (frame != null) {
                if (buffered == 0) {
                    spurtStartNanos = System.nanoTime();
                    spurtFrames = 0;
                }
                level = send(frame);
                for (int i = buffered == 0 ? 0 : config.audioLeadFrames(); i < config.audioLeadFrames(); i++) {
                    byte[] more = audioIn.poll();
                    if (more == null) {
                        break;
                    }
                    level = Math.max(level, send(more));
                }
            }
        }
        levels[(int) (tickIndex % LEVEL_HISTORY)] = level;
    }

    // Clock only: returns the frame's RMS (0..1).
    private double send(byte[] frame) {
        try {
            audioTrack.sender().send(frame, config.audioFormat());
            audioFramesSent.incrementAndGet();
            spurtFrames++;
            lastAudioSentNanos = System.nanoTime();
        } catch (AgoraException e) {
            audioFramesRefused.incrementAndGet();
        }
        double sum = 0;
        for (int i = 0; i + 1 < frame.length; i += 2) {
            int s = (short) ((frame[i] & 0xff) | frame[i + 1] << 8);
            sum += (double) s * s;
        }
        return Math.sqrt(sum / (frame.length / 2)) / 32768.0;
    }

    // Clock only: the mouth shows the loudest audio of the last frame interval, videoDelay ago.
    private void sendVideo() {
        double level = 0;
        for (int i = 0; i < ticksPerVideoFrame; i++) {
            long t = tickIndex - delayTicks - i;
            if (t >= 0) {
                level = Math.max(level, levels[(int) (t % LEVEL_HISTORY)]);
            }
        }
        double target = FaceRenderer.mouthFor(level);
        mouth = target >= mouth ? target : Math.max(target, mouth * 0.5); // opens at once, closes over ~2 frames
        if (mouth < 0.01) {
            mouth = 0;
        }
        long frameNo = tickIndex / ticksPerVideoFrame;
        long t0 = System.nanoTime();
        ByteBuffer bgra = renderer.render(mouth, frameNo);
        long t1 = System.nanoTime();
        byte[] meta = ("m=" + Math.round(mouth * 1000) + ";a=" + audioFramesSent.get())
                .getBytes(StandardCharsets.US_ASCII);
        videoTrack.send(VideoFrame.builder(VideoPixelFormat.BGRA, config.width(), config.height(), bgra)
                .colorSpace(config.colorSpace()).metadata(meta).build());
        long t2 = System.nanoTime();
        renderNanos.addAndGet(t1 - t0);
        videoSendNanos.addAndGet(t2 - t1);
        videoFramesSent.incrementAndGet();
    }

    /** Stops the clock and the server, then releases the connection and the tracks. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (clock != null) {
            clock.cancel(false);
        }
        tickLock.lock(); // a tick in progress finishes first
        tickLock.unlock();
        AvatarSocket s = agent.getAndSet(null);
        if (s != null) {
            s.close();
        }
        server.close();
        connection.close();
        videoTrack.close();
        audioTrack.close();
        log.info("{} closed: {}", this, stats());
    }

    @Override
    public String toString() {
        return "AvatarWorker[" + config.channel() + "/" + config.userId() + "]";
    }
}
