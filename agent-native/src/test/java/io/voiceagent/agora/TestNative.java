package io.voiceagent.agora;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Pointer;
import com.sun.jna.PointerType;
import io.voiceagent.agora.internal.LoopbackLibrary;
import io.voiceagent.agora.internal.NativeLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Shared test plumbing: the one {@link AgoraService} of the test JVM (on the loopback library),
 * access to the loopback's introspection API, unique channel names and bounded waits.
 */
final class TestNative {
    /** Unique per test JVM so parallel builds on one machine never share a channel. */
    static final String APP_ID = "test-app-" + ProcessHandle.current().pid();
    private static final AtomicLong CHANNELS = new AtomicLong();
    private static AgoraService service;

    private TestNative() {}

    static synchronized AgoraService service() {
        if (service == null || service.isClosed()) {
            service = AgoraService.create(AgoraServiceConfig.builder().appId(APP_ID).build());
            Runtime.getRuntime().addShutdownHook(new Thread(TestNative::closeService, "test-service-close"));
        }
        return service;
    }

    static synchronized void closeService() {
        if (service != null) {
            service.close();
        }
    }

    /** Replaces the shared service with one built from {@code config} (loopback only). */
    static synchronized AgoraService restartService(AgoraServiceConfig config) {
        closeService();
        service = AgoraService.create(config);
        return service;
    }

    /** The shared service, restarted with video enabled if it was created without. */
    static synchronized AgoraService videoService() {
        AgoraService s = service();
        if (!s.config().enableVideo()) {
            s = restartService(AgoraServiceConfig.builder().appId(APP_ID).enableVideo(true).build());
        }
        return s;
    }

    static LoopbackLibrary loopback() {
        return NativeLoader.get().loopback().orElseThrow(() -> new AssertionError(
                "tests run on the loopback library; unset AGORA_SDK_HOME / -Dagora.native.library"));
    }

    static String channel(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + CHANNELS.incrementAndGet();
    }

    /** A value the loopback library recorded for {@code handle} (null = the service). */
    static String recorded(PointerType handle, String key) {
        return recorded(handle == null ? null : handle.getPointer(), key);
    }

    static String recorded(Pointer handle, String key) {
        byte[] buf = new byte[4096];
        int n = loopback().loopback_get_recorded(handle, key, buf, buf.length);
        assertThat(n).as("loopback_get_recorded(%s)", key).isGreaterThanOrEqualTo(0);
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    /** Polls {@code condition} every 2 ms until true or {@code timeout}; returns the final value. */
    static boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return condition.getAsBoolean();
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Deterministic PCM16 noise: the same seed gives the same bytes in every process. */
    static byte[] pcm(long seed, int bytes) {
        byte[] b = new byte[bytes];
        new Random(seed).nextBytes(b);
        return b;
    }
}
