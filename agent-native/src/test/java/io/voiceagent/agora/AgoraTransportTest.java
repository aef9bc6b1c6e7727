package io.voiceagent.agora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voiceagent.agora.agent.AgoraTransport;
import io.voiceagent.agora.loopback.LoopbackDiagnostics;
import io.voiceagent.agora.loopback.LoopbackFaults;
import io.voiceagent.agora.pool.ConnectionPool;
import io.voiceagent.agora.pool.ConnectionPoolConfig;
import io.voiceagent.core.agent.AgentInput;
import io.voiceagent.core.agent.AgentSession;
import io.voiceagent.core.audio.AudioFrame;
import io.voiceagent.testing.ScriptedAudioLlm;
import io.voiceagent.testing.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Agora side of a session: what each way of making a transport owns, checks and releases. */
@ExtendWith(NativeLeakExtension.class)
class AgoraTransportTest {

    @AfterEach
    void resetFaults() {
        LoopbackDiagnostics.clearFaults();
    }

    private static AgentSession session() {
        Scheduler now = Scheduler.immediate();
        return AgentSession.builder().audioLlm(new ScriptedAudioLlm(now, Duration.ZERO, Duration.ZERO, "x", new byte[0],
                1)).build();
    }

    @Test
    void aTrackThatIsNotPublishedOnTheConnectionIsRefused() {
        AgoraService s = TestNative.service();
        try (RtcConnection conn = s.createConnection();
                LocalAudioTrack track = s.createAudioTrack()) {
            assertThatThrownBy(() -> AgoraTransport.of(conn, track)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not published on").hasMessageContaining("publishAudio");
        }
    }

    @Test
    void ofReleasesNothingOfTheCallersAndDeliversRemoteAudioAndDepartures() throws Exception {
        AgoraService s = TestNative.service();
        String channel = TestNative.channel("transport-of");
        try (RtcConnection agent = s.createConnection();
                LocalAudioTrack track = s.createAudioTrack();
                RtcConnection user = s.createConnection();
                LocalAudioTrack userTrack = s.createAudioTrack(AudioTrackOptions.defaults().withMaxBufferedFrames(200))) {
            agent.connect("", channel, "agent");
            agent.localUser().publishAudio(track);
            AgoraTransport t = AgoraTransport.of(agent, track);
            AtomicLong frames = new AtomicLong();
            List<String> left = new CopyOnWriteArrayList<>();
            t.start(new AgentInput() {
                @Override
                public void audioFrame(String userId, AudioFrame frame) {
                    frames.incrementAndGet();
                }

                @Override
                public void userLeft(String userId) {
                    left.add(userId);
                }
            });
            user.connect("", channel, "caller");
            user.localUser().publishAudio(userTrack);
            userTrack.sender().send(TestNative.pcm(1, 32000), io.voiceagent.core.audio.PcmFormat.MONO_16K);
            assertThat(TestNative.await(() -> frames.get() >= 100, Duration.ofSeconds(5))).isTrue();
            user.disconnect();
            assertThat(TestNative.await(() -> left.contains("caller"), Duration.ofSeconds(5))).isTrue();
            t.close();
            assertThat(agent.isClosed()).isFalse();
            assertThat(track.isClosed()).isFalse();
            assertThat(agent.localUser().publishedTracks()).containsExactly(track);
        }
    }

    @Test
    void joinOwnsTheConnectionAndTrackItCreatedAndTheSessionReleasesThem() {
        AgoraService s = TestNative.service();
        int connectionsBefore = s.openConnections().size();
        AgoraTransport t = AgoraTransport.join(s, "", TestNative.channel("transport-join"), "agent");
        assertThat(t.connection().state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(t.connection().localUser().publishedTracks()).containsExactly(t.output().track());
        AgentSession session = session().start(t);
        session.close();
        assertThat(session.closeFuture()).isDone();
        assertThat(t.connection().isClosed()).isTrue();
        assertThat(t.output().track().isClosed()).isTrue();
        assertThat(s.openConnections()).hasSize(connectionsBefore);
    }

    @Test
    void aJoinThatFailsLeavesNothingOpen() {
        AgoraService s = TestNative.service();
        int connectionsBefore = s.openConnections().size();
        int tracksBefore = s.openTracks().size();
        try (var faults = LoopbackDiagnostics.injectFaults(LoopbackFaults.none().withRequireToken(true))) {
            assertThatThrownBy(() -> AgoraTransport.join(s, "", TestNative.channel("transport-fail"), "agent"))
                    .isInstanceOf(RtcConnectException.class);
        }
        assertThat(s.openConnections()).hasSize(connectionsBefore);
        assertThat(s.openTracks()).hasSize(tracksBefore);
    }

    @Test
    void leaseReturnsTheConnectionToThePoolWhenTheSessionCloses() {
        try (ConnectionPool pool = ConnectionPool.create(TestNative.service(), ConnectionPoolConfig.of(1))) {
            AgentSession session = session().start(AgoraTransport.lease(pool, "", TestNative.channel("transport-lease"),
                    "agent"));
            assertThat(pool.metrics().inUse()).isEqualTo(1);
            session.close();
            assertThat(pool.metrics().inUse()).isZero();
            assertThat(pool.metrics().idle()).isEqualTo(1);
            // The returned connection serves the next session.
            AgentSession next = session().start(AgoraTransport.lease(pool, "", TestNative.channel("transport-lease"),
                    "agent-2"));
            next.close();
            assertThat(pool.metrics().replaced()).isZero();
        }
    }

    @Test
    void leaseReportsTheUsersWhoWereThereFirstThenEachArrivalAndDepartureOnceInOrder() throws Exception {
        AgoraService s = TestNative.service();
        String channel = TestNative.channel("transport-presence");
        try (ConnectionPool pool = ConnectionPool.create(s, ConnectionPoolConfig.of(1));
                RtcConnection first = s.createConnection();
                RtcConnection second = s.createConnection()) {
            first.connect("", channel, "first");
            AgoraTransport t = AgoraTransport.lease(pool, "", channel, "agent");
            // The loopback reports members already in the channel right after joining: wait until the
            // transport has seen "first" before the session starts, so the report at start is what counts.
            assertThat(TestNative.await(() -> t.remoteUsers().contains("first"), Duration.ofSeconds(5))).isTrue();
            Thread.sleep(50);
            List<String> seen = new CopyOnWriteArrayList<>();
            t.start(new AgentInput() {
                @Override
                public void audioFrame(String userId, AudioFrame frame) {
                }

                @Override
                public void userJoined(String userId) {
                    seen.add("joined " + userId);
                }

                @Override
                public void userLeft(String userId) {
                    seen.add("left " + userId);
                }
            });
            assertThat(TestNative.await(() -> seen.size() == 1, Duration.ofSeconds(5))).isTrue();
            second.connect("", channel, "second");
            assertThat(TestNative.await(() -> seen.size() == 2, Duration.ofSeconds(5))).isTrue();
            first.disconnect();
            assertThat(TestNative.await(() -> seen.size() == 3, Duration.ofSeconds(5))).isTrue();
            Thread.sleep(100);
            assertThat(seen).containsExactly("joined first", "joined second", "left first");
            assertThat(t.remoteUsers()).containsExactly("second");
            t.close();
        }
    }

    @Test
    void faultsAreValidatedAndNamed() {
        assertThatThrownBy(() -> LoopbackFaults.none().withLossPercent(101)).hasMessage(
                "lossPercent must be in 0..100; got 101");
        assertThatThrownBy(() -> LoopbackFaults.none().withDelay(Duration.ofSeconds(11))).hasMessageContaining("delay");
        assertThatThrownBy(() -> LoopbackFaults.none().withDisconnectAfter(Duration.ZERO))
                .hasMessageContaining("disconnectAfter");
    }
}
