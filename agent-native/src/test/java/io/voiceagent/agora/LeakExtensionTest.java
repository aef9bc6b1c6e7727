package io.voiceagent.agora;

import io.voiceagent.agora.internal.CallbackSupport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The leak check itself fails when a test leaves a live handle behind. */
class LeakExtensionTest {

    @Test
    void failsWhileAConnectionOrTrackIsLeftOpen() {
        AgoraService s = TestNative.service();
        int violations = TestNative.loopback().loopback_order_violations();
        long adapterErrors = CallbackSupport.adapterErrorCount();
        long javaThreadEvents = CallbackSupport.javaThreadEvents();
        RtcConnection leaked = s.createConnection();
        assertThatThrownBy(() -> NativeLeakExtension.verifyNoLeaks(violations, adapterErrors, javaThreadEvents))
                .isInstanceOf(AssertionError.class).hasMessageContaining("live connections");
        leaked.close();
        LocalAudioTrack leakedTrack = s.createAudioTrack();
        assertThatThrownBy(() -> NativeLeakExtension.verifyNoLeaks(violations, adapterErrors, javaThreadEvents))
                .isInstanceOf(AssertionError.class).hasMessageContaining("live PCM senders");
        leakedTrack.close();
        NativeLeakExtension.verifyNoLeaks(violations, adapterErrors, javaThreadEvents);
        assertThat(s.openConnections()).isEmpty();
    }
}
