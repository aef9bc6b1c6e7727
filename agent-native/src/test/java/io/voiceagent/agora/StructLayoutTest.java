package io.voiceagent.agora;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Structure;
import io.voiceagent.agora.internal.AgoraObservers.AudioFrameObserverStruct;
import io.voiceagent.agora.internal.AgoraObservers.LocalUserObserverStruct;
import io.voiceagent.agora.internal.AgoraObservers.RtcConnObserverStruct;
import io.voiceagent.agora.internal.AgoraObservers.VideoEncodedFrameObserverStruct;
import io.voiceagent.agora.internal.AgoraObservers.VideoFrameObserver2Struct;
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
                Arguments.of("local_user_observer", 296, (Supplier<Structure>) LocalUserObserverStruct::new),
                // video and encoded media (agora-c-abi-video.md)
                Arguments.of("sender_options", 12, (Supplier<Structure>) AgoraStructs.SenderOptionsStruct::new),
                Arguments.of("color_space_type", 16, (Supplier<Structure>) AgoraStructs.ColorSpaceStruct::new),
                Arguments.of("external_video_frame", 184,
                        (Supplier<Structure>) AgoraStructs.ExternalVideoFrameStruct::new),
                Arguments.of("encoded_video_frame_info", 56,
                        (Supplier<Structure>) AgoraStructs.EncodedVideoFrameInfoStruct::new),
                Arguments.of("encoded_audio_frame_info", 24,
                        (Supplier<Structure>) AgoraStructs.EncodedAudioFrameInfoStruct::new),
                Arguments.of("video_dimensions", 8, (Supplier<Structure>) AgoraStructs.VideoDimensionsStruct::new),
                Arguments.of("video_encoder_config", 40,
                        (Supplier<Structure>) AgoraStructs.VideoEncoderConfigStruct::new),
                Arguments.of("video_subscription_options", 8,
                        (Supplier<Structure>) AgoraStructs.VideoSubscriptionOptionsStruct::new),
                Arguments.of("simulcast_stream_config", 16,
                        (Supplier<Structure>) AgoraStructs.SimulcastStreamConfigStruct::new),
                Arguments.of("video_frame", 184, (Supplier<Structure>) AgoraStructs.VideoFrameStruct::new),
                Arguments.of("local_video_track_stats", 104,
                        (Supplier<Structure>) AgoraStructs.LocalVideoTrackStatsStruct::new),
                Arguments.of("video_frame_observer2", 8, (Supplier<Structure>) VideoFrameObserver2Struct::new),
                Arguments.of("video_encoded_frame_observer", 8,
                        (Supplier<Structure>) VideoEncodedFrameObserverStruct::new));
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
        assertThat(order(LocalUserObserverStruct.class).get(13)).isEqualTo("on_video_track_publish_success");
        assertThat(order(LocalUserObserverStruct.class).get(15)).isEqualTo("on_video_track_unpublished");
        assertThat(order(LocalUserObserverStruct.class).get(19)).isEqualTo("on_user_video_track_subscribed");
        assertThat(order(VideoFrameObserver2Struct.class)).hasSize(VideoFrameObserver2Struct.SLOT_COUNT)
                .containsExactly("on_frame");
        assertThat(order(VideoEncodedFrameObserverStruct.class)).hasSize(VideoEncodedFrameObserverStruct.SLOT_COUNT)
                .containsExactly("on_encoded_video_frame");
    }

    /** The offsets agora-c-abi-video.md gives where Python appended fields after the older header's prefix. */
    @org.junit.jupiter.api.Test
    void videoFieldOffsetsMatchTheReference() {
        assertThat(AgoraStructs.ExternalVideoFrameStruct.OFFSET_BUFFER).isEqualTo(8);
        assertThat(AgoraStructs.ExternalVideoFrameStruct.OFFSET_STRIDE).isEqualTo(16);
        assertThat(AgoraStructs.ExternalVideoFrameStruct.OFFSET_ROTATION).isEqualTo(40);
        assertThat(AgoraStructs.ExternalVideoFrameStruct.OFFSET_TIMESTAMP).isEqualTo(48);
        assertThat(AgoraStructs.ExternalVideoFrameStruct.OFFSET_MATRIX).isEqualTo(72);
        assertThat(AgoraStructs.ExternalVideoFrameStruct.OFFSET_METADATA_BUFFER).isEqualTo(136);
        assertThat(AgoraStructs.ExternalVideoFrameStruct.OFFSET_METADATA_SIZE).isEqualTo(144);
        assertThat(AgoraStructs.ExternalVideoFrameStruct.OFFSET_ALPHA_BUFFER).isEqualTo(152);
        assertThat(AgoraStructs.ExternalVideoFrameStruct.OFFSET_FILL_ALPHA_BUFFER).isEqualTo(160);
        assertThat(AgoraStructs.ExternalVideoFrameStruct.OFFSET_ALPHA_MODE).isEqualTo(164);
        assertThat(AgoraStructs.ExternalVideoFrameStruct.OFFSET_COLOR_SPACE).isEqualTo(168);
        assertThat(AgoraStructs.VideoFrameStruct.OFFSET_Y_BUFFER).isEqualTo(24);
        assertThat(AgoraStructs.VideoFrameStruct.OFFSET_ROTATION).isEqualTo(48);
        assertThat(AgoraStructs.VideoFrameStruct.OFFSET_RENDER_TIME_MS).isEqualTo(56);
        assertThat(AgoraStructs.VideoFrameStruct.OFFSET_METADATA_BUFFER).isEqualTo(72);
        assertThat(AgoraStructs.VideoFrameStruct.OFFSET_METADATA_SIZE).isEqualTo(80);
        assertThat(AgoraStructs.VideoFrameStruct.OFFSET_ALPHA_BUFFER).isEqualTo(168);
        assertThat(AgoraStructs.VideoFrameStruct.OFFSET_ALPHA_MODE).isEqualTo(176);
        assertThat(AgoraStructs.EncodedVideoFrameInfoStruct.OFFSET_CAPTURE_TIME_MS).isEqualTo(32);
        assertThat(AgoraStructs.EncodedVideoFrameInfoStruct.OFFSET_UID).isEqualTo(48);
        assertThat(AgoraStructs.EncodedVideoFrameInfoStruct.OFFSET_STREAM_TYPE).isEqualTo(52);
        assertThat(AgoraStructs.VideoEncoderConfigStruct.OFFSET_FRAME_RATE).isEqualTo(12);
        assertThat(AgoraStructs.VideoEncoderConfigStruct.OFFSET_ENCODE_ALPHA).isEqualTo(36);
        assertThat(AgoraStructs.LocalVideoTrackStatsStruct.OFFSET_FRAMES_ENCODED).isEqualTo(24);
        assertThat(AgoraStructs.LocalVideoTrackStatsStruct.OFFSET_QUALITY_ADAPT_INDICATION).isEqualTo(100);
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
