package io.voiceagent.agora.internal;

import com.sun.jna.Callback;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every SDK callback adapter shares: native threads are attached to the JVM once (daemon, not
 * detached after each call: audio callbacks fire 100 times a second per user) in the
 * {@link #NATIVE_THREAD_GROUP}; any throwable inside an adapter is recorded and logged, never
 * propagated into native code.
 */
public final class CallbackSupport {
    private static final Logger log = LoggerFactory.getLogger(CallbackSupport.class);

    /** The thread group of SDK threads while they run Java callback code. */
    public static final ThreadGroup NATIVE_THREAD_GROUP = new ThreadGroup("agora-native");

    private static final CallbackThreadInitializer INITIALIZER =
            new CallbackThreadInitializer(true, false, "agora-native-callback", NATIVE_THREAD_GROUP);

    private static final AtomicLong ADAPTER_ERRORS = new AtomicLong();
    private static final AtomicLong NATIVE_THREAD_EVENTS = new AtomicLong();
    private static final AtomicLong JAVA_THREAD_EVENTS = new AtomicLong();
    private static final int KEPT_ERRORS = 16;
    // Guarded by itself.
    private static final List<Throwable> RECENT_ERRORS = new ArrayList<>();

    private CallbackSupport() {}

    /** Registers the thread initializer for {@code callback} and returns it. */
    public static <T extends Callback> T attach(T callback) {
        Native.setCallbackThreadInitializer(callback, INITIALIZER);
        return callback;
    }

    /** Records a throwable caught inside a callback adapter (a bug in this SDK, not in a listener). */
    public static void adapterError(String where, Throwable t) {
        long n = ADAPTER_ERRORS.incrementAndGet();
        synchronized (RECENT_ERRORS) {
            if (RECENT_ERRORS.size() < KEPT_ERRORS) {
                RECENT_ERRORS.add(t);
            }
        }
        if (n <= 100 || n % 1000 == 0) {
            log.error("Error in SDK callback {} (#{}); the event was dropped", where, n, t);
        }
    }

    /**
     * Counts an adapter invocation by the kind of thread it ran on. SDK callbacks must arrive on
     * native threads (attached into {@link #NATIVE_THREAD_GROUP}); a count of Java-thread events
     * means the native library called back synchronously from an API call.
     */
    public static void countAdapterThread() {
        if (Thread.currentThread().getThreadGroup() == NATIVE_THREAD_GROUP) {
            NATIVE_THREAD_EVENTS.incrementAndGet();
        } else {
            JAVA_THREAD_EVENTS.incrementAndGet();
        }
    }

    /** Adapter invocations on native (SDK) threads since start. */
    public static long nativeThreadEvents() {
        return NATIVE_THREAD_EVENTS.get();
    }

    /** Adapter invocations on threads the JVM created since start (should stay 0). */
    public static long javaThreadEvents() {
        return JAVA_THREAD_EVENTS.get();
    }

    /** Throwables caught in callback adapters since start (listeners' own exceptions excluded). */
    public static long adapterErrorCount() {
        return ADAPTER_ERRORS.get();
    }

    /** The first few adapter errors, for test diagnostics. */
    public static List<Throwable> recentAdapterErrors() {
        synchronized (RECENT_ERRORS) {
            return List.copyOf(RECENT_ERRORS);
        }
    }

    /** Copies a borrowed NUL-terminated UTF-8 string; null for a NULL pointer. */
    public static String copyString(Pointer p) {
        return p == null ? null : p.getString(0, StandardCharsets.UTF_8.name());
    }

    /** Copies {@code length} borrowed bytes; empty for a NULL pointer or non-positive length. */
    public static byte[] copyBytes(Pointer p, long length) {
        if (p == null || length <= 0) {
            return new byte[0];
        }
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("callback payload too large: " + length + " bytes");
        }
        return p.getByteArray(0, (int) length);
    }
}
