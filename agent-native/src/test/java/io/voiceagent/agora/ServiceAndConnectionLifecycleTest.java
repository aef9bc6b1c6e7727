package io.voiceagent.agora;

import io.voiceagent.agora.internal.CallbackSupport;
import io.voiceagent.agora.loopback.LoopbackDiagnostics;
import io.voiceagent.agora.loopback.LoopbackFaults;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voiceagent.agora.internal.LoopbackLibrary;
import io.voiceagent.core.audio.PcmFormat;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NativeLeakExtension.class)
class ServiceAndConnectionLifecycleTest {

    @Test
    void serviceConfigReachesTheNativeStructAtTheRightOffsets() {
        AgoraService s = TestNative.restartService(AgoraServiceConfig.builder()
                .appId(TestNative.APP_ID)
                .areas(Set.of(AreaCode.EUROPE, AreaCode.ASIA))
                .channelProfile(ChannelProfile.COMMUNICATION)
                .audioScenario(AudioScenario.MEETING)
                .useStringUid(true)
                .audioLabels(true)
                .logLevel(LogLevel.WARN)
                .build());
        assertThat(TestNative.recorded((com.sun.jna.Pointer) null, "service.app_id")).isEqualTo(TestNative.APP_ID);
        assertThat(TestNative.recorded((com.sun.jna.Pointer) null, "service.area_code")).isEqualTo("12");
        assertThat(TestNative.recorded((com.sun.jna.Pointer) null, "service.channel_profile")).isEqualTo("0");
        assertThat(TestNative.recorded((com.sun.jna.Pointer) null, "service.audio_scenario")).isEqualTo("8");
        assertThat(TestNative.recorded((com.sun.jna.Pointer) null, "service.use_string_uid")).isEqualTo("1");
        assertThat(TestNative.recorded((com.sun.jna.Pointer) null, "service.enable_audio_processor")).isEqualTo("1");
        assertThat(TestNative.recorded((com.sun.jna.Pointer) null, "service.enable_video")).isEqualTo("0");
        assertThat(TestNative.recorded((com.sun.jna.Pointer) null, "service.log_filter")).isEqualTo(
                Integer.toString(0x000e));
        assertThat(TestNative.recorded((com.sun.jna.Pointer) null, "service.extensions"))
                .contains("agora.builtin/agora_audio_label_generator");
        assertThat(TestNative.recorded((com.sun.jna.Pointer) null, "param.che.audio.label.enable")).isEqualTo("1");
        assertThat(s.config().toString()).doesNotContain(TestNative.APP_ID).contains("<redacted>");
        TestNative.restartService(AgoraServiceConfig.builder().appId(TestNative.APP_ID).build());
        assertThat(TestNative.recorded((com.sun.jna.Pointer) null, "service.area_code"))
                .isEqualTo(Integer.toUnsignedString(AreaCode.GLOBAL_MASK));
        assertThat(TestNative.recorded((com.sun.jna.Pointer) null, "service.audio_scenario")).isEqualTo("7");
    }

    @Test
    void onlyOneServicePerProcess() {
        TestNative.service();
        assertThatThrownBy(() -> AgoraService.create(AgoraServiceConfig.builder().appId("other").build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already open");
        assertThat(AgoraService.isLoopback()).isTrue();
        assertThat(AgoraService.nativeLibraryDescription()).contains("loopback");
    }

    @Test
    void configValidationNamesParameterAndValue() {
        assertThatThrownBy(() -> AgoraServiceConfig.builder().appId(" ").build())
                .hasMessageContaining("appId");
        assertThatThrownBy(() -> RtcConnectionConfig.builder().connectTimeout(Duration.ZERO).build())
                .hasMessageContaining("connectTimeout").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> RtcConnectionConfig.builder().portRange(5000, 4000).build())
                .hasMessageContaining("minPort=5000");
        assertThatThrownBy(() -> new AudioTrackOptions(Duration.ofMillis(5), 30))
                .hasMessageContaining("sendDelay").hasMessageContaining("5 ms");
        assertThatThrownBy(() -> new AudioTrackOptions(Duration.ofMillis(10), 0))
                .hasMessageContaining("maxBufferedFrames").hasMessageContaining("0");
    }

    @Test
    void connectionConfigAndTrackOptionsReachTheNativeSide() {
        AgoraService s = TestNative.service();
        RtcConnectionConfig cfg = RtcConnectionConfig.builder()
                .autoSubscribeAudio(false)
                .clientRole(ClientRole.AUDIENCE)
                .receiveFormat(PcmFormat.of(48000, 2))
                .maxSendBitrate(48000)
                .portRange(4000, 5000)
                .pcmSubscription(true)
                .build();
        try (RtcConnection c = s.createConnection(cfg);
                LocalAudioTrack t = s.createAudioTrack(new AudioTrackOptions(Duration.ofMillis(40), 77))) {
            assertThat(TestNative.recorded(c.handle(), "conn.auto_subscribe_audio")).isEqualTo("0");
            assertThat(TestNative.recorded(c.handle(), "conn.client_role_type")).isEqualTo("2");
            assertThat(TestNative.recorded(c.handle(), "conn.channel_profile")).isEqualTo("1");
            assertThat(TestNative.recorded(c.handle(), "conn.max_send_bitrate")).isEqualTo("48000");
            assertThat(TestNative.recorded(c.handle(), "conn.min_port")).isEqualTo("4000");
            assertThat(TestNative.recorded(c.handle(), "conn.max_port")).isEqualTo("5000");
            assertThat(TestNative.recorded(c.handle(), "conn.audio_subs.pcm_data_only")).isEqualTo("1");
            assertThat(TestNative.recorded(c.handle(), "conn.audio_subs.bytes_per_sample")).isEqualTo("2");
            assertThat(TestNative.recorded(c.handle(), "conn.audio_subs.number_of_channels")).isEqualTo("2");
            assertThat(TestNative.recorded(c.handle(), "conn.audio_subs.sample_rate_hz")).isEqualTo("48000");
            assertThat(TestNative.recorded(c.localUser().handle(), "user.audio_scenario")).isEqualTo("7");
            c.localUser().setRemoteAudioListener((conn, user, frame) -> {});
            assertThat(TestNative.recorded(c.localUser().handle(), "user.playback_before_mixing")).isEqualTo("2,48000");
            c.localUser().enableVolumeIndication(Duration.ofMillis(250), 4, true);
            assertThat(TestNative.recorded(c.localUser().handle(), "user.volume_indication")).isEqualTo("250,4,1");
            assertThat(TestNative.recorded(t.handle(), "track.send_delay_ms")).isEqualTo("40");
            assertThat(TestNative.recorded(t.handle(), "track.max_buffered_frames")).isEqualTo("77");
            assertThat(TestNative.recorded(t.handle(), "track.enabled")).isEqualTo("1");
            t.setEnabled(false);
            assertThat(TestNative.recorded(t.handle(), "track.enabled")).isEqualTo("0");
            t.setPublishVolume(55);
            assertThat(TestNative.recorded(t.handle(), "track.publish_volume")).isEqualTo("55");
            assertThat(TestNative.loopback().loopback_live_handles_of_kind(LoopbackLibrary.KIND_CONNECTION)).isEqualTo(1);
            try (RtcConnection plain = s.createConnection()) {
                assertThat(TestNative.recorded(plain.handle(), "conn.audio_subs.pcm_data_only")).isEqualTo("0");
                assertThat(TestNative.recorded(plain.handle(), "conn.audio_subs.sample_rate_hz")).isEqualTo("0");
                assertThat(TestNative.recorded(plain.handle(), "conn.client_role_type")).isEqualTo("1");
            }
            assertThat(TestNative.loopback().loopback_live_handles_of_kind(LoopbackLibrary.KIND_AUDIO_TRACK)).isEqualTo(1);
        }
    }

    @Test
    void anEmptyTokenReachesTheSdkAsAnEmptyStringNeverNull() {
        try (RtcConnection c = TestNative.service().createConnection()) {
            c.connect("", TestNative.channel("empty-token"), "agent");
            assertThat(TestNative.recorded(c.handle(), "conn.token_null")).as("token pointer was NULL").isEqualTo("0");
            assertThat(TestNative.recorded(c.handle(), "conn.token")).isEmpty();
        }
    }

    @Test
    void anAppIdThatRequiresATokenStillRefusesAnEmptyOne() {
        LoopbackDiagnostics.injectFaults(LoopbackFaults.none().withRequireToken(true));
        try (RtcConnection c = TestNative.service().createConnection()) {
            assertThatThrownBy(() -> c.connect("", TestNative.channel("need-token"), "agent"))
                    .isInstanceOf(RtcConnectException.class)
                    .satisfies(e -> assertThat(((RtcConnectException) e).reason())
                            .isEqualTo(ConnectionChangedReason.INVALID_TOKEN));
            assertThat(TestNative.recorded(c.handle(), "conn.token_null")).isEqualTo("0");
        } finally {
            LoopbackDiagnostics.clearFaults();
        }
    }

    @Test
    void connectDisconnectReconnectAndEventsArriveOnTheConnectionExecutor() {
        AgoraService s = TestNative.service();
        List<String> events = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        String channel = TestNative.channel("life");
        try (RtcConnection c = s.createConnection()) {
            c.addListener(new RtcConnectionListener() {
                @Override
                public void onConnecting(RtcConnection conn, ConnectionInfo info, ConnectionChangedReason reason) {
                    events.add("connecting");
                    threads.add(Thread.currentThread().getName());
                }

                @Override
                public void onConnected(RtcConnection conn, ConnectionInfo info, ConnectionChangedReason reason) {
                    events.add("connected:" + info.channelId() + ":" + info.localUserId() + ":" + info.state() + ":"
                            + reason);
                    threads.add(Thread.currentThread().getName());
                }

                @Override
                public void onDisconnected(RtcConnection conn, ConnectionInfo info, ConnectionChangedReason reason) {
                    events.add("disconnected:" + reason);
                }
            });
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
            ConnectionInfo info = c.connect("", channel, "bot");
            assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(info.channelId()).isEqualTo(channel);
            assertThat(info.localUserId()).isEqualTo("bot");
            ConnectionInfo now = c.info();
            assertThat(now.channelId()).isEqualTo(channel);
            assertThat(now.localUserId()).isEqualTo("bot");
            assertThat(now.state()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(now.internalUid()).isEqualTo(info.internalUid());
            assertThat(TestNative.recorded(c.handle(), "conn.channel")).isEqualTo(channel);
            assertThat(TestNative.recorded(c.handle(), "conn.user_id")).isEqualTo("bot");
            assertThatThrownBy(() -> c.connect("", channel, "bot")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already connected");
            c.disconnect();
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
            c.disconnect(); // idempotent
            c.connect("", channel, "bot");
            assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
            TestNative.await(() -> events.size() >= 5, Duration.ofSeconds(2));
        }
        assertThat(events).containsExactly("connecting", "connected:" + channel + ":bot:CONNECTED:JOIN_SUCCESS",
                "disconnected:LEAVE_CHANNEL", "connecting", "connected:" + channel + ":bot:CONNECTED:JOIN_SUCCESS");
        assertThat(threads).allSatisfy(t -> assertThat(t).startsWith("agora-events-"));
        assertThat(CallbackSupport.nativeThreadEvents()).isPositive();
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseThrows() {
        AgoraService s = TestNative.service();
        RtcConnection c = s.createConnection();
        LocalAudioTrack t = s.createAudioTrack();
        DataStream d;
        c.connect("", TestNative.channel("closed"), "u1");
        c.localUser().publishAudio(t);
        d = c.createDataStream(true, true);
        LocalUser user = c.localUser();
        AudioPcmSender sender = t.sender();
        c.close();
        c.close();
        assertThat(c.isClosed()).isTrue();
        assertThat(t.publisher()).isEmpty();
        assertThat(TestNative.recorded(t.handle(), "track.published")).isEqualTo("0");
        t.close();
        t.close();
        assertThatThrownBy(() -> c.connect("", "x", "y")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(c::localUser).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> user.subscribeAllAudio()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> d.send("late")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> sender.send(new byte[320], PcmFormat.MONO_16K))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> t.setEnabled(true)).isInstanceOf(IllegalStateException.class);
        assertThat(s.openConnections()).doesNotContain(c);
        assertThat(s.openTracks()).doesNotContain(t);
    }

    @Test
    void closingAPublishedTrackFirstUnpublishesIt() {
        AgoraService s = TestNative.service();
        try (RtcConnection c = s.createConnection()) {
            c.connect("", TestNative.channel("trackfirst"), "u1");
            LocalAudioTrack t = s.createAudioTrack();
            c.localUser().publishAudio(t);
            assertThat(TestNative.recorded(t.handle(), "track.published")).isEqualTo("1");
            assertThat(c.localUser().publishedTracks()).containsExactly(t);
            t.close();
            assertThat(c.localUser().publishedTracks()).isEmpty();
        }
    }
}
