package io.voiceagent.server.api;

import io.voiceagent.core.agent.AgentSessionListener;
import io.voiceagent.core.agent.SessionExecutor;
import io.voiceagent.core.concurrent.Cancellable;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An agent's idle timeout and greeting, from the session's presence events: when none of the users
 * the agent listens to has been in the channel for {@code timeout} (counted from the start, and again
 * from each time the last of them left) it runs {@code onIdle} once; when the first of them is there
 * it runs {@code onFirstUser} once. A zero timeout never fires.
 *
 * <p>Confined to the session's executor: the events arrive there, {@link #begin()} must be posted
 * there, and the timer fires there. The callbacks run there too, so they must only post (stop the
 * agent through another thread, say through the session).
 */
final class IdleWatch implements AgentSessionListener {
    private final SessionExecutor executor;
    private final Duration timeout;
    private final Predicate<String> listensTo;
    private final Runnable onIdle;
    private final Runnable onFirstUser;
    // Confined to the executor.
    private final Set<String> present = new HashSet<>();
    private Cancellable timer;
    private boolean greeted;
    private boolean fired;

    IdleWatch(SessionExecutor executor, Duration timeout, Predicate<String> listensTo, Runnable onIdle,
            Runnable onFirstUser) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.listensTo = Objects.requireNonNull(listensTo, "listensTo");
        this.onIdle = Objects.requireNonNull(onIdle, "onIdle");
        this.onFirstUser = Objects.requireNonNull(onFirstUser, "onFirstUser");
    }

    /** Starts counting if nobody is there yet. On the executor, once, after the session started. */
    void begin() {
        if (present.isEmpty()) {
            arm();
        }
    }

    @Override
    public void userJoined(String userId) {
        if (!listensTo.test(userId) || !present.add(userId)) {
            return;
        }
        disarm();
        if (!greeted) {
            greeted = true;
            onFirstUser.run();
        }
    }

    @Override
    public void userLeft(String userId) {
        if (present.remove(userId) && present.isEmpty()) {
            arm();
        }
    }

    @Override
    public void sessionClosed() {
        disarm();
    }

    /** Users listened to who are in the channel now (tests and diagnostics; executor only). */
    Set<String> present() {
        return Set.copyOf(present);
    }

    private void arm() {
        if (timeout.isZero() || fired) {
            return;
        }
        disarm();
        timer = executor.schedule(this::fire, timeout);
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void fire() {
        timer = null;
        if (present.isEmpty() && !fired) {
            fired = true;
            onIdle.run();
        }
    }
}
