package io.voiceagent.core.vad;

import java.util.Objects;

/**
 * The VAD V2 turn detector, Gen 1 ("percent windows"), stepped once per 10 ms frame with that
 * frame's features. Pure logic: no model, no clock, no threads, so it is fully deterministic.
 *
 * <p>Rules (counts in frames, see {@link VadV2Config}):
 * <ul>
 *   <li>Not speaking: each frame enters a ring of the last {@code pre + start} frames. Once the
 *       newest {@code start} frames were all received since the last stop (or stream start) and at
 *       least {@code activePercent} of them are active, the state is {@link VadState#START_SPEAKING}
 *       and the audio is every frame in the ring: up to {@code pre} pre-roll frames followed by the
 *       start window, ending with the current frame.</li>
 *   <li>Speaking: each frame enters a ring of the last {@code stop} frames. Once it is full and at
 *       least {@code inactivePercent} of it is inactive, the state is {@link VadState#STOP_SPEAKING}
 *       (audio = this frame); otherwise {@link VadState#SPEAKING} (audio = this frame).</li>
 * </ul>
 * Differences from the reference implementations, on purpose: counting is exact (the Python port
 * never counts the first window entry as silent); thresholds have a direction (start: {@code >=},
 * stay: {@code >}) so {@code stopVoiceProb < startVoiceProb} gives hysteresis; the RMS threshold
 * is compared in dBFS; and a new start needs only {@code start} fresh frames after a stop (the
 * reference needs {@code pre + start}); the pre-roll never reaches back before the previous stop, so
 * no byte is returned twice.
 *
 * <p>Not thread-safe: one instance per stream, confined to one thread (or externally locked).
 */
public final class VadV2StateMachine {
    private final VadV2Config config;
    private final int ringCapacity;
    // Ring of the last pre+start frames since the last stop.
    private final byte[][] ringBytes;
    private final boolean[] ringActive;
    private final long[] ringIndex;
    private int ringHead; // next write position
    private int ringSize;
    // Stop window.
    private final boolean[] stopActive;
    private int stopHead;
    private int stopSize;
    private int stopInactive;

    private boolean speaking;
    private long frameIndex;
    private long lastActiveFrame = -1;

    public VadV2StateMachine(VadV2Config config) {
        this.config = Objects.requireNonNull(config, "config");
        ringCapacity = config.preStartRecognizeCount() + config.startRecognizeCount();
        ringBytes = new byte[ringCapacity][];
        ringActive = new boolean[ringCapacity];
        ringIndex = new long[ringCapacity];
        stopActive = new boolean[config.stopRecognizeCount()];
    }

    public VadV2Config config() {
        return config;
    }

    /** Whether the detector is inside a speech segment (after START, before STOP). */
    public boolean isSpeaking() {
        return speaking;
    }

    /** Index of the next frame to be stepped, i.e. the number of frames seen. */
    public long frameCount() {
        return frameIndex;
    }

    /**
     * Whether a frame with these features is active in the current direction (see
     * {@link VadV2Config}).
     */
    public boolean isActive(int voiceProb, double rmsDbfs) {
        if (speaking) {
            return voiceProb > config.stopVoiceProb() && rmsDbfs > config.stopRmsThreshold();
        }
        return voiceProb >= config.startVoiceProb() && rmsDbfs >= config.startRmsThreshold();
    }

    /**
     * Steps one 10 ms frame.
     *
     * @param frame the frame's bytes, returned (not copied) in the result's audio; the caller must
     *     not modify them afterwards
     * @param voiceProb voice probability in percent, 0-100
     * @param rmsDbfs the frame's RMS level in dBFS
     */
    public VadResult step(byte[] frame, int voiceProb, double rmsDbfs) {
        Objects.requireNonNull(frame, "frame");
        long k = frameIndex++;
        boolean active = isActive(voiceProb, rmsDbfs);
        if (!speaking) {
            ringBytes[ringHead] = frame;
            ringActive[ringHead] = active;
            ringIndex[ringHead] = k;
            ringHead = (ringHead + 1) % ringCapacity;
            ringSize = Math.min(ringSize + 1, ringCapacity);
            int start = config.startRecognizeCount();
            if (ringSize >= start) {
                int activeCount = 0;
                long firstActive = -1;
                long lastActive = -1;
                for (int i = start; i >= 1; i--) { // oldest to newest of the start window
                    int pos = Math.floorMod(ringHead - i, ringCapacity);
                    if (ringActive[pos]) {
                        activeCount++;
                        if (firstActive < 0) {
                            firstActive = ringIndex[pos];
                        }
                        lastActive = ringIndex[pos];
                    }
                }
                if (activeCount >= config.activePercent() * start - 1e-9) {
                    byte[] out = drainRing();
                    speaking = true;
                    stopHead = 0;
                    stopSize = 0;
                    stopInactive = 0;
                    long windowStart = k - start + 1;
                    lastActiveFrame = lastActive >= 0 ? lastActive : k;
                    long startMs = 10 * (firstActive >= 0 ? firstActive : windowStart);
                    return new VadResult(k, VadState.START_SPEAKING, out, voiceProb, rmsDbfs, active, startMs, -1);
                }
            }
            return new VadResult(k, VadState.NONE, VadResult.EMPTY, voiceProb, rmsDbfs, active, -1, -1);
        }
        int stop = stopActive.length;
        if (stopSize == stop) {
            if (!stopActive[stopHead]) {
                stopInactive--;
            }
        } else {
            stopSize++;
        }
        stopActive[stopHead] = active;
        if (!active) {
            stopInactive++;
        }
        stopHead = (stopHead + 1) % stop;
        if (active) {
            lastActiveFrame = k;
        }
        if (stopSize == stop && stopInactive >= config.inactivePercent() * stop - 1e-9) {
            speaking = false;
            stopSize = 0;
            stopHead = 0;
            stopInactive = 0;
            return new VadResult(k, VadState.STOP_SPEAKING, frame, voiceProb, rmsDbfs, active, -1,
                    10 * (lastActiveFrame + 1));
        }
        return new VadResult(k, VadState.SPEAKING, frame, voiceProb, rmsDbfs, active, -1, -1);
    }

    /** End of speech time of the open segment ({@code 10 * (last active frame + 1)}), or -1. */
    public long openSegmentEndMs() {
        return speaking ? 10 * (lastActiveFrame + 1) : -1;
    }

    private byte[] drainRing() {
        int total = 0;
        for (int i = ringSize; i >= 1; i--) {
            total += ringBytes[Math.floorMod(ringHead - i, ringCapacity)].length;
        }
        byte[] out = new byte[total];
        int pos = 0;
        for (int i = ringSize; i >= 1; i--) {
            int p = Math.floorMod(ringHead - i, ringCapacity);
            byte[] b = ringBytes[p];
            System.arraycopy(b, 0, out, pos, b.length);
            pos += b.length;
            ringBytes[p] = null;
        }
        ringSize = 0;
        ringHead = 0;
        return out;
    }
}
