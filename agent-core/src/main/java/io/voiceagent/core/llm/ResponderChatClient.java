package io.voiceagent.core.llm;

import io.voiceagent.core.http.StreamCall;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * An offline "LLM" whose answer a function of the conversation gives (a {@link Responder}),
 * streamed word by word, one word every {@code wordInterval}: the base of {@link EchoChatClient} and
 * of the duet's scripted responder, so a conversation runs end to end with no key and no network.
 *
 * <p>Callbacks run on one shared daemon timer thread ({@value #THREAD}); a call is cancelled by
 * {@link StreamCall#cancel()}, after which no callback starts. The responder runs on the calling
 * thread of {@link #streamChat}. Thread-safe.
 */
public final class ResponderChatClient implements ChatClient {
    static final String THREAD = "voiceagent-echo-llm";
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, THREAD);
        t.setDaemon(true);
        return t;
    });

    /** The whole answer to a conversation (the instructions first); must be fast, must not return null. */
    @FunctionalInterface
    public interface Responder extends Function<List<ChatMessage>, String> {
    }

    private final Duration wordInterval;
    private final Responder responder;
    private final String name;

    /**
     * @param wordInterval between two streamed words (0..1 s)
     * @param name what {@code toString()} calls it
     */
    public ResponderChatClient(Duration wordInterval, Responder responder, String name) {
        Objects.requireNonNull(wordInterval, "wordInterval");
        if (wordInterval.isNegative() || wordInterval.toMillis() > 1000) {
            throw new IllegalArgumentException("wordInterval must be in 0..1000 ms; got " + wordInterval.toMillis() + " ms");
        }
        this.wordInterval = wordInterval;
        this.responder = Objects.requireNonNull(responder, "responder");
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public StreamCall streamChat(List<ChatMessage> messages, ChatStreamListener listener) {
        Objects.requireNonNull(listener, "listener");
        String[] words = Objects.requireNonNull(responder.apply(messages), "the responder's answer").split(" ");
        Call call = new Call();
        call.step(words, 0, listener, new StringBuilder());
        return call;
    }

    @Override
    public String toString() {
        return name + "[" + wordInterval.toMillis() + " ms/word]";
    }

    private final class Call implements StreamCall {
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private final CompletableFuture<Void> completion = new CompletableFuture<>();
        private volatile ScheduledFuture<?> next;

        Call() {
            completion.whenComplete((v, t) -> {
                if (completion.isCancelled()) {
                    cancel();
                }
            });
        }

        void step(String[] words, int i, ChatStreamListener listener, StringBuilder full) {
            next = TIMER.schedule(() -> {
                if (cancelled.get()) {
                    return;
                }
                if (i == words.length) {
                    listener.onComplete(full.toString(), "stop");
                    completion.complete(null);
                    return;
                }
                String delta = (i == 0 ? "" : " ") + words[i];
                full.append(delta);
                listener.onTextDelta(delta);
                step(words, i + 1, listener, full);
            }, i == 0 ? 0 : wordInterval.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public void cancel() {
            if (cancelled.compareAndSet(false, true)) {
                ScheduledFuture<?> f = next;
                if (f != null) {
                    f.cancel(false);
                }
                completion.cancel(false);
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled.get();
        }

        @Override
        public CompletableFuture<Void> completion() {
            return completion;
        }
    }
}
