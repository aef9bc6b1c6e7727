package io.voiceagent.agora;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Structure;
import io.voiceagent.agora.internal.AgoraObservers.AudioFrameObserverStruct;
import io.voiceagent.agora.internal.AgoraObservers.LocalUserObserverStruct;
import io.voiceagent.agora.internal.AgoraObservers.RtcConnObserverStruct;
import io.voiceagent.agora.internal.AgoraStructs;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every JNA structure has the byte size the reference ABI gives for native build 4.4.32 (LP64), and
 * the size the loopback library's C compiler computes for the same struct, so a field added, dropped
 * or mistyped on either side fails here.
 */
class StructLayoutTest {

    static Stream<Arguments> structs() {
        return Stream.of(
                Arguments.of("agora_service_config", 56, (Supplier<Structure>) AgoraStructs.AgoraServiceConfigStruct::new),
                Arguments.of("rtc_conn_config", 64, (Supplier<Structure>) AgoraStructs.RtcConnConfigStruct::new),
                Arguments.of("rtc_conn_info", 40, (Supplier<Structure>) AgoraStructs.RtcConnInfoStruct::new),
                Arguments.of("audio_frame", 64, (Supplier<Structure>) AgoraStructs.AudioFrameStruct::new),
                Arguments.of("audio_params", 16, (Supplier<Structure>) AgoraStructs.AudioParamsStruct::new),
                Arguments.of("audio_volume_info", 24, (Supplier<Structure>) AgoraStructs.AudioVolumeInfoStruct::new),
                Arguments.of("encryption_config", 48, (Supplier<Structure>) AgoraStructs.EncryptionConfigStruct::new),
                Arguments.of("local_audio_stats", 24, (Supplier<Structure>) AgoraStructs.LocalAudioStatsStruct::new),
                Arguments.of("video_track_info", 48, (Supplier<Structure>) AgoraStructs.VideoTrackInfoStruct::new),
                Arguments.of("rtc_conn_observer", 240, (Supplier<Structure>) RtcConnObserverStruct::new),
                Arguments.of("audio_frame_observer", 80, (Supplier<Structure>) AudioFrameObserverStruct::new),
                Arguments.of("local_user_observer", 296, (Supplier<Structure>) LocalUserObserverStruct::new));
    }

    @ParameterizedTest(name = "{0} is {1} bytes")
    @MethodSource("structs")
    void sizeMatchesReferenceAndLoopbackCompiler(String cName, int referenceBytes, Supplier<Structure> factory) {
        Structure s = factory.get();
        assertThat(s.size()).as("JNA size of %s", cName).isEqualTo(referenceBytes);
        assertThat(TestNative.loopback().loopback_sizeof(cName)).as("C sizeof(%s) in the loopback library", cName)
                .isEqualTo(referenceBytes);
    }

    private static java.util.List<String> order(Class<? extends Structure> c) {
        return java.util.List.of(c.getAnnotation(Structure.FieldOrder.class).value());
    }

    @org.junit.jupiter.api.Test
    void observerTablesHaveOneFieldPerSlot() {
        assertThat(order(RtcConnObserverStruct.class)).hasSize(RtcConnObserverStruct.SLOT_COUNT).hasSize(30);
        assertThat(order(AudioFrameObserverStruct.class)).hasSize(AudioFrameObserverStruct.SLOT_COUNT)
                .hasSize(10);
        assertThat(order(LocalUserObserverStruct.class)).hasSize(LocalUserObserverStruct.SLOT_COUNT)
                .hasSize(37);
        // Spot-check slot positions the agent depends on (reference §4.4, §5.2, §5.4).
        assertThat(order(RtcConnObserverStruct.class).get(12)).isEqualTo("on_user_joined");
        assertThat(order(AudioFrameObserverStruct.class).get(4)).isEqualTo("on_playback_audio_frame_before_mixing");
        assertThat(order(LocalUserObserverStruct.class).get(34)).isEqualTo("on_stream_message");
        assertThat(order(LocalUserObserverStruct.class).get(36)).isEqualTo("on_audio_meta_data_received");
        assertThat(order(LocalUserObserverStruct.class).get(22)).isEqualTo("on_audio_volume_indication");
    }

    @org.junit.jupiter.api.Test
    void fieldOffsetsUsedOnTheAudioPathMatchTheReference() {
        assertThat(AgoraStructs.AudioFrameStruct.OFFSET_SAMPLES_PER_CHANNEL).isEqualTo(4);
        assertThat(AgoraStructs.AudioFrameStruct.OFFSET_SAMPLES_PER_SEC).isEqualTo(16);
        assertThat(AgoraStructs.AudioFrameStruct.OFFSET_BUFFER).isEqualTo(24);
        assertThat(AgoraStructs.AudioFrameStruct.OFFSET_RENDER_TIME_MS).isEqualTo(32);
        assertThat(AgoraStructs.AudioFrameStruct.OFFSET_RMS).isEqualTo(48);
        assertThat(AgoraStructs.RtcConnInfoStruct.OFFSET_CHANNEL_ID).isEqualTo(8);
        assertThat(AgoraStructs.RtcConnInfoStruct.OFFSET_STATE).isEqualTo(16);
        assertThat(AgoraStructs.RtcConnInfoStruct.OFFSET_LOCAL_USER_ID).isEqualTo(24);
        assertThat(AgoraStructs.RtcConnInfoStruct.OFFSET_INTERNAL_UID).isEqualTo(32);
        assertThat(AgoraStructs.AudioVolumeInfoStruct.OFFSET_VOLUME).isEqualTo(8);
        assertThat(AgoraStructs.AudioVolumeInfoStruct.OFFSET_VOICE_PITCH).isEqualTo(16);
    }
}
