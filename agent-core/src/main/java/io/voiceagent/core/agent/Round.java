package io.voiceagent.core.agent;

import io.voiceagent.core.concurrent.Cancellable;
import io.voiceagent.core.http.StreamCall;
import io.voiceagent.core.tts.TextSegmenter;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * One round of an {@link AgentSession}: the answer to one turn, from its first request to the end
 * of its playback. Confined to the session's executor: no field is read or written on any other
 * thread, so nothing here is locked. Provider callbacks reach a round only as tasks the session posts
 * to its executor, and the session drops them once the round has left {@link Phase#GENERATING}.
 */
final class Round {

    /** Where a round is. Only moves forward. */
    enum Phase {
        /** Requests running; audio is being written. */
        GENERATING,
        /** Everything is written (or a provider failed); the output is still playing it. */
        PLAYING,
        /** Reported with {@code roundEnded}; nothing of it is queued any more. */
        ENDED
    }

    /** What the round answers. */
    enum Kind {
        /** A spoken turn (VAD end of speech, then speech recognition if the session has it). */
        SPEECH,
        /** {@link AgentSession#sendText}: typed input to the LLM. */
        TEXT,
        /** {@link AgentSession#say}: a text spoken as is, without the LLM. */
        SAY
    }

    final long id;
    final Kind kind;
    final String userId; // null unless SPEECH
    final long originNanos;
    Phase phase = Phase.GENERATING;

    StreamCall llmCall;
    StreamCall ttsCall;
    TextSegmenter segmenter;
    final ArrayDeque<String> segments = new ArrayDeque<>();
    boolean llmDone;
    boolean synthesizing;
    /** The answer as produced for the user: text handed to the TTS, or the audio LLM's transcript. */
    final StringBuilder answer = new StringBuilder();
    boolean wroteAudio;
    Throwable failure;
    Cancellable playoutTimer;

    private long firstTokenNanos = -1;
    private long firstAudioNanos = -1;
    private long firstFrameSentNanos = -1;

    Round(long id, Kind kind, String userId, long originNanos) {
        this.id = id;
        this.kind = kind;
        this.userId = userId;
        this.originNanos = originNanos;
    }

    boolean isLive() {
        return phase != Phase.ENDED;
    }

    void markFirstToken(long now) {
        if (firstTokenNanos < 0) {
            firstTokenNanos = now;
        }
    }

    void markFirstAudio(long now) {
        firstAudioNanos = now;
        wroteAudio = true;
    }

    /** @return whether this was the round's first frame-sent report */
    boolean markFirstFrameSent(long sentNanos) {
        if (!wroteAudio || firstFrameSentNanos >= 0) {
            return false;
        }
        firstFrameSentNanos = sentNanos;
        return true;
    }

    /** Cancels the requests and the playout timer; idempotent. */
    void cancelWork() {
        if (llmCall != null) {
            llmCall.cancel();
            llmCall = null;
        }
        if (ttsCall != null) {
            ttsCall.cancel();
            ttsCall = null;
        }
        if (playoutTimer != null) {
            playoutTimer.cancel();
            playoutTimer = null;
        }
    }

    RoundLatency latency() {
        return new RoundLatency(since(firstTokenNanos), since(firstAudioNanos), since(firstFrameSentNanos));
    }

    private Duration since(long nanos) {
        return nanos < 0 ? null : Duration.ofNanos(Math.max(0, nanos - originNanos));
    }

    @Override
    public String toString() {
        return "Round[" + id + ", " + kind + ", " + phase + "]";
    }
}
