package io.voiceagent.agora;

import com.sun.jna.Memory;
import io.voiceagent.agora.internal.AgoraLibrary;
import io.voiceagent.agora.internal.Handles.PcmSenderHandle;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.pacing.PcmSink;
import java.util.Objects;

/**
 * Pushes PCM16 audio into its {@link LocalAudioTrack}'s send buffer, whole 10 ms frames at a time.
 * The SDK sends from that buffer at real-time pace; pushing faster than real time fills the buffer
 * ({@link AudioTrackOptions#maxBufferedFrames()}), which is why TTS audio goes through an
 * {@code AudioConsumer} that paces it. Owned by its track: closing the track destroys the sender.
 *
 * <p>Thread-safe; calls are serialized (one reusable native buffer per sender, so the hot path
 * allocates nothing once the buffer has grown to the largest push).
 */
public final class AudioPcmSender implements PcmSink {
    private final LocalAudioTrack track;
    private final AgoraLibrary lib;
    private final PcmSenderHandle handle;
    // Guarded by this.
    private Memory buffer;
    // Guarded by this.
    private long framesSent;

    AudioPcmSender(LocalAudioTrack track, AgoraLibrary lib, PcmSenderHandle handle) {
        this.track = track;
        this.lib = lib;
        this.handle = handle;
    }

    /**
     * Sends all of {@code pcm}, a whole number of 10 ms frames in {@code format}.
     *
     * @throws IllegalArgumentException if the length is not a positive whole number of 10 ms frames
     * @throws AgoraException if the SDK refused (e.g. its send buffer is full)
     * @throws IllegalStateException if the track is closed
     */
    public void send(byte[] pcm, PcmFormat format) {
        Objects.requireNonNull(pcm, "pcm");
        sendFrames(pcm, 0, pcm.length, format);
    }

    @Override
    public void sendFrames(byte[] data, int offset, int length, PcmFormat format) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(format, "format");
        Objects.checkFromIndexSize(offset, length, data.length);
        int frameBytes = format.bytesPerFrame();
        if (length <= 0 || length % frameBytes != 0) {
            throw new IllegalArgumentException("PCM length must be a positive whole number of 10 ms frames ("
                    + frameBytes + " bytes each at " + format + "); got " + length + " bytes");
        }
        int samplesPerChannel = length / format.bytesPerSampleFrame();
        track.withHandle(() -> {
            synchronized (this) {
                if (buffer == null || buffer.size() < length) {
                    buffer = new Memory(Math.max(length, frameBytes * 10L));
                }
                buffer.write(0, data, offset, length);
                int rc = lib.agora_audio_pcm_data_sender_send(handle, buffer, 0, samplesPerChannel,
                        PcmFormat.BYTES_PER_SAMPLE, format.channels(), format.sampleRateHz());
                if (rc != 0) {
                    throw new AgoraException("agora_audio_pcm_data_sender_send", rc, (length / frameBytes)
                            + " frames at " + format);
                }
                framesSent += length / frameBytes;
            }
            return null;
        });
    }

    /** 10 ms frames accepted by the SDK so far. */
    public synchronized long framesSent() {
        return framesSent;
    }

    PcmSenderHandle handle() {
        return handle;
    }

    /** The track this sender feeds. */
    public LocalAudioTrack track() {
        return track;
    }
}
