package io.voiceagent.core.concurrent;

import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Calls an actor's listeners (an agent session's, a duet's): each in the order added, on the calling
 * thread (the actor's executor), and a listener that throws is logged and does not stop the others.
 */
public final class Listeners {

    private Listeners() {
    }

    /**
     * Runs {@code event} on every listener of {@code listeners}.
     *
     * @param log where a listener's exception is logged, with {@code owner}'s name
     */
    public static <L> void emit(List<L> listeners, Consumer<L> event, Logger log, String owner) {
        for (L l : listeners) {
            try {
                event.accept(l);
            } catch (Throwable t) {
                log.warn("{}: listener {} threw; ignored", owner, l, t);
            }
        }
    }
}
