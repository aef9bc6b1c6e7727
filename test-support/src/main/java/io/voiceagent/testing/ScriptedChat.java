package io.voiceagent.testing;

import io.voiceagent.core.llm.ChatClient;
import io.voiceagent.core.llm.ChatMessage;
import io.voiceagent.core.llm.ChatStreamListener;
import io.voiceagent.core.llm.LlmException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A chat LLM that answers from a script: {@code answer(messages)} gives the reply, streamed as the
 * given pieces, the first after {@code firstDelay}, the next each {@code interval} later, then
 * {@code onComplete}. Records every request and cancellation. Thread-safe.
 */
public final class ScriptedChat implements ChatClient {
    private final Function<List<ChatMessage>, List<String>> answer;
    private final Scheduler scheduler;
    private final Duration firstDelay;
    private final Duration interval;
    private final List<List<ChatMessage>> requests = new CopyOnWriteArrayList<>();
    private final List<FakeCall> calls = new CopyOnWriteArrayList<>();
    private volatile String failWith;

    /**
     * @param answer the reply's pieces for the request's messages (an empty list streams nothing)
     */
    public ScriptedChat(Function<List<ChatMessage>, List<String>> answer, Scheduler scheduler, Duration firstDelay,
            Duration interval) {
        this.answer = Objects.requireNonNull(answer, "answer");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.firstDelay = firstDelay;
        this.interval = interval;
    }

    /** Every request answers with the same pieces. */
    public static ScriptedChat replying(Scheduler scheduler, Duration firstDelay, Duration interval, String... pieces) {
        List<String> p = List.of(pieces);
        return new ScriptedChat(m -> p, scheduler, firstDelay, interval);
    }

    /** From now on each call fails (onError with an {@link LlmException} carrying {@code message}) after its first piece. */
    public void failAfterFirstPiece(String message) {
        failWith = message;
    }

    @Override
    public FakeCall streamChat(List<ChatMessage> messages, ChatStreamListener listener) {
        requests.add(List.copyOf(messages));
        FakeCall call = new FakeCall();
        calls.add(call);
        List<String> pieces = answer.apply(messages);
        String fail = failWith;
        StringBuilder full = new StringBuilder();
        Duration at = firstDelay;
        for (int i = 0; i < pieces.size(); i++) {
            String piece = pieces.get(i);
            boolean failHere = fail != null && i == 1;
            scheduler.schedule(at, () -> {
                if (call.isCancelled()) {
                    return;
                }
                if (failHere) {
                    LlmException e = new LlmException(fail);
                    call.finish(e);
                    listener.onError(e);
                    return;
                }
                full.append(piece);
                listener.onTextDelta(piece);
            });
            if (failHere) {
                return call;
            }
            at = at.plus(interval);
        }
        scheduler.schedule(at, () -> {
            if (!call.isCancelled()) {
                call.finish(null);
                listener.onComplete(full.toString(), "stop");
            }
        });
        return call;
    }

    /** The messages of every request, in order. */
    public List<List<ChatMessage>> requests() {
        return List.copyOf(requests);
    }

    /** Every call, in order. */
    public List<FakeCall> calls() {
        return List.copyOf(calls);
    }
}
