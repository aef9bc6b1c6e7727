package io.voiceagent.agora;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The callback registry routes a reused native address to the connection that holds it now. */
@ExtendWith(NativeLeakExtension.class)
class ConnectionCallbacksTest {
    // Addresses no real handle has: the registry only compares them, it never reads them.
    private static final Pointer REUSED_CONNECTION = new Pointer(0x7f00_0000_1000L);
    private static final Pointer REUSED_LOCAL_USER = new Pointer(0x7f00_0000_2000L);

    @Test
    void unregisteringAnOldConnectionKeepsTheRouteOfANewOneAtTheSameAddress() {
        AgoraService service = TestNative.service();
        try (RtcConnection a = service.createConnection(); RtcConnection b = service.createConnection()) {
            ConnectionCallbacks.register(a, REUSED_CONNECTION, REUSED_LOCAL_USER);
            // A was destroyed and the SDK handed its addresses to B before A's close unregistered them.
            ConnectionCallbacks.register(b, REUSED_CONNECTION, REUSED_LOCAL_USER);
            ConnectionCallbacks.unregister(a, REUSED_CONNECTION, REUSED_LOCAL_USER);

            assertThat(ConnectionCallbacks.byConnection(REUSED_CONNECTION)).isSameAs(b);
            assertThat(ConnectionCallbacks.byLocalUser(REUSED_LOCAL_USER)).isSameAs(b);
            // A's own real handles are still routed to A.
            assertThat(ConnectionCallbacks.byConnection(a.handle().getPointer())).isSameAs(a);

            ConnectionCallbacks.unregister(b, REUSED_CONNECTION, REUSED_LOCAL_USER);
            assertThat(ConnectionCallbacks.byConnection(REUSED_CONNECTION)).isNull();
            assertThat(ConnectionCallbacks.byLocalUser(REUSED_LOCAL_USER)).isNull();
        }
    }
}
