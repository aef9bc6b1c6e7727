package io.voiceagent.core.agent;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.stt.SpeechStream;
import io.voiceagent.core.stt.SpeechToText;
import io.voiceagent.core.stt.Transcript;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A session's streaming speech recognition: one {@link SpeechStream} per user turn, opened at the
 * VAD's speech start with the pre-roll, fed every speaking frame, finished at the speech end (the
 * final transcript then takes the whole-utterance path of the session). Partials reach the session
 * as tasks on its executor, and only while their stream is still the user's open one.
 *
 * <p>Confined to the session's executor, like the rest of the session's state: nothing is locked.
 */
final class StreamingTurns {

    private static final class Open {
        final SpeechStream stream;
        final PcmFormat format;
        long fedBytes;

        Open(SpeechStream stream, PcmFormat format) {
            this.stream = stream;
            this.format = format;
        }
    }

    private final SpeechToText stt;
    private final Consumer<Runnable> post;
    private final BiConsumer<String, String> onPartial;
    private final Map<String, Open> open = new HashMap<>();

    /**
     * @param post runs a task on the session's executor (dropped once the session closes)
     * @param onPartial (userId, text) on the session's executor, for the user's open stream only
     */
    StreamingTurns(SpeechToText stt, Consumer<Runnable> post, BiConsumer<String, String> onPartial) {
        this.stt = Objects.requireNonNull(stt, "stt");
        this.post = post;
        this.onPartial = onPartial;
    }

    /** The VAD heard {@code userId} start: a new stream (replacing an unfinished one), fed {@code startAudio}. */
    void started(String userId, PcmFormat format, byte[] startAudio) {
        cancel(userId);
        Open[] self = new Open[1];
        SpeechStream s = stt.startStream(format, text -> post.accept(() -> {
            if (open.get(userId) == self[0] && !text.isEmpty()) {
                onPartial.accept(userId, text);
            }
        }));
        Open o = new Open(s, format);
        self[0] = o;
        open.put(userId, o);
        feed(o, startAudio, 0, startAudio.length);
    }

    /** One speaking frame of {@code userId}. */
    void continued(String userId, byte[] frameAudio) {
        Open o = open.get(userId);
        if (o != null) {
            feed(o, frameAudio, 0, frameAudio.length);
        }
    }

    /**
     * The turn ended with {@code utterance} (all of it, as the VAD collected it): the rest is fed and the
     * stream finished. Null if {@code userId} has no open stream of that format (the caller then
     * transcribes the utterance whole).
     */
    CompletableFuture<Transcript> finish(String userId, byte[] utterance, PcmFormat format) {
        Open o = open.remove(userId);
        if (o == null || !o.format.equals(format) || o.fedBytes > utterance.length) {
            if (o != null) {
                o.stream.cancel();
            }
            return null;
        }
        feed(o, utterance, (int) o.fedBytes, utterance.length - (int) o.fedBytes);
        return o.stream.finish();
    }

    /** Abandons {@code userId}'s open stream, if any (the user left, their format changed). */
    void cancel(String userId) {
        Open o = open.remove(userId);
        if (o != null) {
            o.stream.cancel();
        }
    }

    /** Abandons every open stream (the session closes). */
    void cancelAll() {
        open.values().forEach(o -> o.stream.cancel());
        open.clear();
    }

    private static void feed(Open o, byte[] pcm, int offset, int length) {
        if (length > 0) {
            o.stream.write(pcm, offset, length);
            o.fedBytes += length;
        }
    }
}
