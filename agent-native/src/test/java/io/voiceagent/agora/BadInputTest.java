package io.voiceagent.agora;

import io.voiceagent.agora.loopback.LoopbackDiagnostics;
import io.voiceagent.agora.loopback.LoopbackFaults;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Memory;
import io.voiceagent.agora.internal.NativeLoader;
import io.voiceagent.core.audio.PcmFormat;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad input fails early with a message naming the parameter and the value. */
@ExtendWith(NativeLeakExtension.class)
class BadInputTest {

    @AfterEach
    void resetFaults() {
        LoopbackDiagnostics.clearFaults();
    }

    @Test
    void emptyOrInvalidChannelAndUserAreRejected() {
        try (RtcConnection c = TestNative.service().createConnection()) {
            assertThatThrownBy(() -> c.connect("", "", "u")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("channelId").hasMessageContaining("empty");
            assertThatThrownBy(() -> c.connect("", null, "u")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("channelId").hasMessageContaining("null");
            assertThatThrownBy(() -> c.connect("", "bad/channel", "u")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'bad/channel'");
            assertThatThrownBy(() -> c.connect("", "x".repeat(65), "u")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("64");
            assertThatThrownBy(() -> c.connect("", "ok", "")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("userId");
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
        }
    }

    @Test
    void nativeSideRejectsBadArgumentsWithDistinctCodes() {
        // The Java checks above are not the only line of defence: the C boundary itself refuses.
        try (RtcConnection c = TestNative.service().createConnection()) {
            int rc = NativeLoader.get().agora().agora_rtc_conn_connect(c.handle(), null, "", "u");
            assertThat(AgoraError.fromReturnCode(rc)).isEqualTo(AgoraError.INVALID_ARGUMENT);
        }
    }

    @Test
    void nullTokenIsRejectedAndAMissingRequiredTokenFailsClearly() {
        try (RtcConnection c = TestNative.service().createConnection(
                RtcConnectionConfig.builder().connectTimeout(Duration.ofSeconds(3)).build())) {
            assertThatThrownBy(() -> c.connect(null, "ch", "u")).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("token");
            LoopbackDiagnostics.injectFaults(LoopbackFaults.none().withRequireToken(true));
            assertThatThrownBy(() -> c.connect("", TestNative.channel("token"), "u"))
                    .isInstanceOf(RtcConnectException.class)
                    .hasMessageContaining("INVALID_TOKEN")
                    .hasMessageContaining("requires a token")
                    .satisfies(e -> assertThat(((RtcConnectException) e).reason())
                            .isEqualTo(ConnectionChangedReason.INVALID_TOKEN));
            assertThat(c.state()).isEqualTo(ConnectionState.FAILED);
        }
    }

    @Test
    void unsupportedSampleRateIsRejectedInJavaAndInC() {
        assertThatThrownBy(() -> PcmFormat.of(11025, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sampleRateHz").hasMessageContaining("11025");
        try (LocalAudioTrack t = TestNative.service().createAudioTrack()) {
            Memory m = new Memory(2 * 110);
            m.clear();
            int rc = NativeLoader.get().agora().agora_audio_pcm_data_sender_send(
                    t.sender().handle(), m, 0, 110, 2, 1, 11025);
            assertThat(AgoraError.fromReturnCode(rc)).isEqualTo(AgoraError.INVALID_ARGUMENT);
        }
    }

    @Test
    void pcmThatIsNotWholeTenMillisecondFramesIsRejected() {
        try (LocalAudioTrack t = TestNative.service().createAudioTrack()) {
            assertThatThrownBy(() -> t.sender().send(new byte[321], PcmFormat.MONO_16K))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("320 bytes each").hasMessageContaining("got 321 bytes");
            assertThatThrownBy(() -> t.sender().send(new byte[0], PcmFormat.MONO_16K))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> t.sender().send(new byte[882 * 2 + 2], PcmFormat.of(44100, 2)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1764 bytes each");
        }
    }

    @Test
    void overfillingTheSendBufferIsAnErrorNotASilentDrop() {
        try (RtcConnection c = TestNative.service().createConnection();
                LocalAudioTrack t = TestNative.service().createAudioTrack(AudioTrackOptions.defaults()
                        .withMaxBufferedFrames(10))) {
            c.connect("", TestNative.channel("overfill"), "u");
            c.localUser().publishAudio(t);
            assertThatThrownBy(() -> t.sender().send(new byte[320 * 11], PcmFormat.MONO_16K))
                    .isInstanceOf(AgoraException.class)
                    .hasMessageContaining("agora_audio_pcm_data_sender_send")
                    .satisfies(e -> assertThat(((AgoraException) e).error()).isEqualTo(AgoraError.BUFFER_TOO_SMALL));
        }
    }

    @Test
    void dataStreamLimitsComeBackAsTypedExceptions() {
        try (RtcConnection c = TestNative.service().createConnection()) {
            DataStream d = c.createDataStream(true, true);
            assertThatThrownBy(() -> d.send("not connected")).isInstanceOf(AgoraException.class)
                    .hasMessageContaining("agora_rtc_conn_send_stream_message")
                    .satisfies(e -> assertThat(((AgoraException) e).error()).isEqualTo(AgoraError.NOT_IN_CHANNEL));
            // Streams cannot be destroyed: the same kind is handed back, so reuse never hits the limit of 5.
            assertThat(c.createDataStream(true, true)).isSameAs(d);
            DataStream unordered = c.createDataStream(true, false);
            DataStream lossy = c.createDataStream(false, false);
            assertThat(java.util.Set.of(d.id(), unordered.id(), lossy.id(), c.createDataStream(false, true).id()))
                    .hasSize(4);
            for (int i = 0; i < 10; i++) {
                assertThat(c.createDataStream(false, false)).isSameAs(lossy);
            }
            // The C boundary itself refuses a sixth stream with a typed error.
            com.sun.jna.ptr.IntByReference id = new com.sun.jna.ptr.IntByReference();
            assertThat(NativeLoader.get().agora().agora_rtc_conn_create_data_stream(c.handle(), id, 1, 1)).isZero();
            int sixth = NativeLoader.get().agora().agora_rtc_conn_create_data_stream(c.handle(), id, 1, 1);
            assertThat(AgoraError.fromReturnCode(sixth)).isEqualTo(AgoraError.INVALID_ARGUMENT);
        }
    }
}
