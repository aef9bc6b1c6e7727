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

/**
 * An offline "LLM" that answers with what it understood: {@code "You said: <the user's last
 * message>."} ({@code "I did not catch that."} for nothing), streamed word by word, one word every
 * {@code wordInterval}. So a voice agent runs end to end with no key and no network, and what the
 * recognizer heard is spoken back.
 *
 * <p>Callbacks run on one shared daemon timer thread ({@value #THREAD}); a call is cancelled by
 * {@link StreamCall#cancel()}, after which no callback starts. Thread-safe.
 */
public final class EchoChatClient implements ChatClient {
    static final String THREAD = "voiceagent-echo-llm";
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, THREAD);
        t.setDaemon(true);
        return t;
    });

    private final Duration wordInterval;

    /** Words 20 ms apart. */
    public EchoChatClient() {
        this(Duration.ofMillis(20));
    }

    /** @param wordInterval between two streamed words (0..1 s) */
    public EchoChatClient(Duration wordInterval) {
        Objects.requireNonNull(wordInterval, "wordInterval");
        if (wordInterval.isNegative() || wordInterval.toMillis() > 1000) {
            throw new IllegalArgumentException("wordInterval must be in 0..1000 ms; got " + wordInterval.toMillis() + " ms");
        }
        this.wordInterval = wordInterval;
    }

    /** The answer to {@code messages}. */
    public static String answer(List<ChatMessage> messages) {
        String said = "";
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role().equals("user")) {
                said = messages.get(i).content().strip();
                break;
            }
        }
        return said.isEmpty() ? "I did not catch that." : "You said: " + said + ".";
    }

    @Override
    public StreamCall streamChat(List<ChatMessage> messages, ChatStreamListener listener) {
        Objects.requireNonNull(listener, "listener");
        String[] words = answer(messages).split(" ");
        Call call = new Call();
        call.step(words, 0, listener, new StringBuilder());
        return call;
    }

    @Override
    public String toString() {
        return "EchoChatClient[" + wordInterval.toMillis() + " ms/word]";
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
