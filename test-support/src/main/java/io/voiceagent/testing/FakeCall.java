package io.voiceagent.testing;

import io.voiceagent.core.http.StreamCall;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** A {@link StreamCall} of a scripted provider: records cancellation; its callbacks check {@link #isCancelled()}. */
public final class FakeCall implements StreamCall {
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final CompletableFuture<Void> completion = new CompletableFuture<>();

    @Override
    public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
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

    /** Marks the call finished (normally, or with {@code error}). */
    public void finish(Throwable error) {
        if (error == null) {
            completion.complete(null);
        } else {
            completion.completeExceptionally(error);
        }
    }
}
