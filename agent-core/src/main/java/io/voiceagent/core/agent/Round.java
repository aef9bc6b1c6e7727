package io.voiceagent.core.agent;

import io.voiceagent.core.concurrent.Cancellable;
import io.voiceagent.core.http.StreamCall;
import io.voiceagent.core.tts.TextSegmenter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;

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
    /**
     * The answer as produced for the user, one entry per spoken piece: the text handed to the TTS (or
     * the audio LLM's transcript) and the bytes of audio written for it so far.
     */
    private final ArrayList<StringBuilder> pieceTexts = new ArrayList<>();
    private final ArrayList<Long> pieceBytes = new ArrayList<>();
    /** Pieces [0, completePieces) have all their audio written. */
    private int completePieces;
    /** Average speaking rate for a piece whose audio is not all written yet (English: about 15 chars/s). */
    static final double CHARS_PER_SECOND = 15.0;
    boolean wroteAudio;
    /** The output's {@code playedBytes()} just before the round's first write; -1 if unknown. */
    long playedBaseline = -1;
    /** Paused by a barge-in that may be false (see {@code AgentSession}). */
    boolean paused;
    Cancellable falseInterruptionTimer;
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

    /** A new spoken piece (a TTS segment, or the audio LLM's answer). */
    void startPiece(String text) {
        pieceTexts.add(new StringBuilder(text));
        pieceBytes.add(0L);
    }

    /** More text of the current piece (the audio LLM's transcript streams). */
    void appendToPiece(String text) {
        if (pieceTexts.isEmpty()) {
            startPiece("");
        }
        pieceTexts.get(pieceTexts.size() - 1).append(text);
    }

    /** Audio written for the current piece. */
    void addPieceBytes(long bytes) {
        if (pieceBytes.isEmpty()) {
            startPiece("");
        }
        int last = pieceBytes.size() - 1;
        pieceBytes.set(last, pieceBytes.get(last) + bytes);
    }

    /** The current piece has all its audio (its synthesis, or the audio LLM's stream, completed). */
    void completePiece() {
        completePieces = pieceTexts.size();
    }

    /** Everything produced, the pieces joined by a space. */
    String answer() {
        StringBuilder sb = new StringBuilder();
        for (StringBuilder t : pieceTexts) {
            String piece = t.toString().strip();
            if (!piece.isEmpty()) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(piece);
            }
        }
        return sb.toString();
    }

    /**
     * The part of the answer the user heard when {@code playedBytes} of its audio had played: whole
     * pieces while their audio played in full, then the share of the next piece's words that matches the
     * share of its audio that played (speech is close enough to even-paced for a history entry). A piece
     * whose audio is still arriving is as long as its audio so far, or as its text at an average
     * speaking rate ({@value #CHARS_PER_SECOND} characters per second) if that is longer.
     *
     * @param bytesPerSecond of the output's format, for that estimate
     */
    String heard(long playedBytes, int bytesPerSecond) {
        StringBuilder sb = new StringBuilder();
        long left = playedBytes;
        for (int i = 0; i < pieceTexts.size() && left > 0; i++) {
            String piece = pieceTexts.get(i).toString().strip();
            long bytes = pieceBytes.get(i);
            if (i >= completePieces) {
                bytes = Math.max(bytes, (long) (piece.length() / CHARS_PER_SECOND * bytesPerSecond));
            }
            String part;
            if (left >= bytes) {
                part = piece;
            } else {
                String[] words = piece.isEmpty() ? new String[0] : piece.split("\\s+");
                int k = (int) Math.round(words.length * (double) left / bytes);
                part = String.join(" ", java.util.Arrays.asList(words).subList(0, k));
            }
            left -= bytes;
            if (!part.isEmpty()) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(part);
            }
        }
        return sb.toString();
    }

    /** Cancels the requests and the timers; idempotent. */
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
        if (falseInterruptionTimer != null) {
            falseInterruptionTimer.cancel();
            falseInterruptionTimer = null;
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
