package io.voiceagent.core.http;

import io.voiceagent.core.concurrent.DaemonThreads;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The default I/O executor of the HTTP clients and the espeak-ng TTS: a cached pool of daemon
 * threads named {@code voiceagent-io-N}, shared by the process and never shut down (idle threads
 * end after 60 s). Pass your own executor to the clients to control it.
 */
public final class IoExecutors {

    private static final ExecutorService SHARED = Executors.newCachedThreadPool(DaemonThreads.named("voiceagent-io-"));

    private IoExecutors() {
    }

    /** The shared cached daemon pool. */
    public static ExecutorService shared() {
        return SHARED;
    }
}
