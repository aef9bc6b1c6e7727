package io.voiceagent.agora;

import io.voiceagent.agora.internal.CallbackSupport;
import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.agora.internal.LoopbackLibrary;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails any test that leaves a live native handle behind (connection, PCM sender, audio track,
 * registered observer, unfreed connection-info block, callback route), breaks Agora's release order,
 * or causes an exception inside an SDK callback adapter. The service and its factory are shared by the test JVM
 * and allowed.
 */
public final class NativeLeakExtension implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NativeLeakExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        TestNative.service();
        LoopbackLibrary lb = TestNative.loopback();
        context.getStore(NS).put("violations", lb.loopback_order_violations());
        context.getStore(NS).put("adapterErrors", CallbackSupport.adapterErrorCount());
        context.getStore(NS).put("javaThreadEvents", CallbackSupport.javaThreadEvents());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        verifyNoLeaks(context.getStore(NS).get("violations", Integer.class),
                context.getStore(NS).get("adapterErrors", Long.class),
                context.getStore(NS).get("javaThreadEvents", Long.class));
    }

    /** The check itself, callable directly (the extension's own test uses it). */
    static void verifyNoLeaks(int violationsBefore, long adapterErrorsBefore, long javaThreadEventsBefore) {
        LoopbackLibrary lb = TestNative.loopback();
        assertThat(lb.loopback_live_handles_of_kind(LoopbackLibrary.KIND_CONNECTION)).as("live connections").isZero();
        assertThat(lb.loopback_live_handles_of_kind(LoopbackLibrary.KIND_PCM_SENDER)).as("live PCM senders").isZero();
        assertThat(lb.loopback_live_handles_of_kind(LoopbackLibrary.KIND_AUDIO_TRACK)).as("live audio tracks").isZero();
        assertThat(lb.loopback_live_handles_of_kind(LoopbackLibrary.KIND_OBSERVER)).as("registered observers").isZero();
        assertThat(lb.loopback_live_handles_of_kind(LoopbackLibrary.KIND_CONN_INFO)).as("unfreed rtc_conn_info").isZero();
        assertThat(lb.loopback_live_handles_of_kind(LoopbackLibrary.KIND_MEDIA_SENDER))
                .as("live video / encoded senders").isZero();
        assertThat(lb.loopback_live_handles_of_kind(LoopbackLibrary.KIND_VIDEO_TRACK)).as("live video tracks").isZero();
        assertThat(lb.loopback_live_handles_of_kind(LoopbackLibrary.KIND_VIDEO_OBSERVER)).as("live video observers")
                .isZero();
        assertThat(lb.loopback_live_handles_of_kind(LoopbackLibrary.KIND_STATS)).as("undestroyed statistics")
                .isZero();
        assertThat(lb.loopback_order_violations()).as("release-order violations").isEqualTo(violationsBefore);
        assertThat(ConnectionCallbacks.routedConnections()).as("connections still routed by the callback registry")
                .isZero();
        assertThat(CallbackSupport.adapterErrorCount()).as("exceptions inside SDK callback adapters: %s",
                CallbackSupport.recentAdapterErrors()).isEqualTo(adapterErrorsBefore);
        assertThat(CallbackSupport.javaThreadEvents()).as("SDK callbacks that arrived on a Java thread")
                .isEqualTo(javaThreadEventsBefore);
    }
}
