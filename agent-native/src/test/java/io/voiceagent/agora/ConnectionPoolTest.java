package io.voiceagent.agora;

import io.voiceagent.agora.loopback.LoopbackDiagnostics;
import io.voiceagent.agora.loopback.LoopbackFaults;
import io.voiceagent.agora.pool.ConnectionPool;
import io.voiceagent.agora.pool.ConnectionPoolConfig;
import io.voiceagent.agora.pool.Lease;
import io.voiceagent.agora.pool.PoolExhaustedException;
import io.voiceagent.agora.pool.PoolMetrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voiceagent.agora.internal.LoopbackLibrary;
import io.voiceagent.core.audio.PcmFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NativeLeakExtension.class)
class ConnectionPoolTest {

    @AfterEach
    void resetFaults() {
        LoopbackDiagnostics.clearFaults();
    }

    @Test
    void manyThreadsAcquireAndReleaseConcurrently() throws Exception {
        int threads = 8;
        int cycles = 15;
        try (ConnectionPool pool = ConnectionPool.create(TestNative.service(), ConnectionPoolConfig.of(3)
                .withAcquireTimeout(Duration.ofSeconds(20)))) {
            AtomicInteger maxInUse = new AtomicInteger();
            ExecutorService exec = Executors.newFixedThreadPool(threads);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(exec.submit(() -> {
                    for (int i = 0; i < cycles; i++) {
                        try (Lease lease = pool.acquire(TestNative.channel("pool"), "user-" + id + "-" + i, "", null)) {
                            assertThat(lease.connection().state()).isEqualTo(ConnectionState.CONNECTED);
                            maxInUse.accumulateAndGet(pool.metrics().inUse(), Math::max);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            exec.shutdown();
            PoolMetrics m = pool.metrics();
            assertThat(m.acquired()).isEqualTo(threads * cycles);
            assertThat(m.inUse()).isZero();
            assertThat(m.idle()).isEqualTo(3);
            assertThat(m.failed()).isZero();
            assertThat(maxInUse.get()).isBetween(1, 3);
            assertThat(TestNative.loopback().loopback_live_handles_of_kind(LoopbackLibrary.KIND_CONNECTION)).isEqualTo(3);
        }
    }

    @Test
    void aReusedConnectionCarriesNothingOfThePreviousUser() {
        AgoraService s = TestNative.service();
        String oldChannel = TestNative.channel("old");
        String newChannel = TestNative.channel("new");
        List<String> firstUserEvents = new CopyOnWriteArrayList<>();
        List<String> secondUserEvents = new CopyOnWriteArrayList<>();
        try (ConnectionPool pool = ConnectionPool.create(s, ConnectionPoolConfig.of(1));
                RtcConnection remote = s.createConnection();
                LocalAudioTrack remoteTrack = s.createAudioTrack(AudioTrackOptions.defaults().withMaxBufferedFrames(500))) {
            remote.connect("", oldChannel, "remote");
            remote.localUser().publishAudio(remoteTrack);
            DataStream remoteStream = remote.createDataStream(true, true);

            Lease first = pool.acquire(oldChannel, "agent", "", recorder(firstUserEvents));
            RtcConnection conn = first.connection();
            conn.localUser().setRemoteAudioListener((c, u, f) -> firstUserEvents.add("audio:" + u));
            LocalAudioTrack firstTrack = first.createAudioTrack(AudioTrackOptions.defaults());
            conn.localUser().enableVolumeIndication(Duration.ofMillis(100), 3, false);
            remoteTrack.sender().send(new byte[PcmFormat.MONO_16K.bytesPerFrame() * 400], PcmFormat.MONO_16K);
            remoteStream.send("for the first user");
            assertThat(TestNative.await(() -> firstUserEvents.contains("msg:for the first user")
                    && firstUserEvents.contains("audio:remote"), Duration.ofSeconds(3))).isTrue();
            first.close();
            assertThat(firstTrack.isClosed()).isTrue();
            int eventsAtRelease = firstUserEvents.size();

            Lease second = pool.acquire(newChannel, "agent", "", recorder(secondUserEvents));
            assertThat(second.connection()).isSameAs(conn);
            assertThat(second.connection().localUser().publishedTracks()).isEmpty();
            assertThat(TestNative.recorded(conn.localUser().handle(), "user.volume_indication")).startsWith("0,");
            remoteStream.send("must reach nobody in the new channel");
            TestNative.await(() -> false, Duration.ofMillis(300));
            assertThat(firstUserEvents).hasSize(eventsAtRelease);
            assertThat(secondUserEvents).noneMatch(e -> e.contains("remote") || e.startsWith("msg:"));
            second.close();
            assertThat(pool.metrics().failed()).isZero();
            assertThat(pool.metrics().replaced()).isZero();
        }
    }

    private static RtcConnectionListener recorder(List<String> events) {
        return new RtcConnectionListener() {
            @Override
            public void onUserJoined(RtcConnection c, String userId) {
                events.add("joined:" + userId);
            }

            @Override
            public void onStreamMessage(RtcConnection c, String userId, int streamId, byte[] data) {
                events.add("msg:" + new String(data, java.nio.charset.StandardCharsets.UTF_8));
            }

            @Override
            public void onAudioVolumeIndication(RtcConnection c, List<AudioVolumeInfo> speakers, int total) {
                events.add("volume");
            }
        };
    }

    @Test
    void dataStreamsSurviveManyLeasesOfOneConnection() {
        String channel = TestNative.channel("streams");
        List<String> got = new CopyOnWriteArrayList<>();
        try (ConnectionPool pool = ConnectionPool.create(TestNative.service(), ConnectionPoolConfig.of(1));
                RtcConnection peer = TestNative.service().createConnection()) {
            peer.addListener(new RtcConnectionListener() {
                @Override
                public void onStreamMessage(RtcConnection c, String userId, int streamId, byte[] data) {
                    got.add(new String(data, java.nio.charset.StandardCharsets.UTF_8));
                }
            });
            peer.connect("", channel, "peer");
            for (int i = 0; i < 8; i++) {
                try (Lease lease = pool.acquire(channel, "agent", "", null)) {
                    lease.connection().createDataStream(true, true).send("lease " + i);
                    lease.connection().createDataStream(false, false).send("lossy " + i);
                }
            }
            assertThat(TestNative.await(() -> got.size() == 16, Duration.ofSeconds(3))).as("%s", got).isTrue();
            assertThat(got).contains("lease 0", "lease 7", "lossy 7");
        }
    }

    @Test
    void aConnectionKilledByFaultInjectionIsReplaced() {
        try (ConnectionPool pool = ConnectionPool.create(TestNative.service(), ConnectionPoolConfig.of(1))) {
            LoopbackDiagnostics.injectFaults(LoopbackFaults.none().withDisconnectAfter(Duration.ofMillis(150)));
            Lease lease = pool.acquire(TestNative.channel("kill"), "doomed", "", null);
            RtcConnection original = lease.connection();
            assertThat(TestNative.await(lease::isFailed, Duration.ofSeconds(3))).isTrue();
            LoopbackDiagnostics.clearFaults();
            lease.close();
            assertThat(original.isClosed()).isTrue();
            PoolMetrics m = pool.metrics();
            assertThat(m.failed()).isEqualTo(1);
            assertThat(m.replaced()).isEqualTo(1);
            assertThat(m.idle()).isEqualTo(1);
            try (Lease next = pool.acquire(TestNative.channel("after"), "fresh", "", null)) {
                assertThat(next.connection()).isNotSameAs(original);
                assertThat(next.connection().state()).isEqualTo(ConnectionState.CONNECTED);
            }
        }
    }

    @Test
    void aFailedConnectIsReplacedAndRethrown() {
        try (ConnectionPool pool = ConnectionPool.create(TestNative.service(), ConnectionPoolConfig.of(1)
                .withConnectionConfig(RtcConnectionConfig.builder().connectTimeout(Duration.ofSeconds(3)).build()))) {
            LoopbackDiagnostics.injectFaults(LoopbackFaults.none().withRequireToken(true));
            assertThatThrownBy(() -> pool.acquire(TestNative.channel("tok"), "u", "", null))
                    .isInstanceOf(RtcConnectException.class).hasMessageContaining("INVALID_TOKEN");
            LoopbackDiagnostics.clearFaults();
            assertThat(pool.metrics().failed()).isEqualTo(1);
            assertThat(pool.metrics().replaced()).isEqualTo(1);
            assertThat(pool.metrics().idle()).isEqualTo(1);
        }
    }

    @Test
    void acquireTimesOutWhenAllAreLeased() {
        try (ConnectionPool pool = ConnectionPool.create(TestNative.service(), ConnectionPoolConfig.of(1));
                Lease held = pool.acquire(TestNative.channel("held"), "a", "", null)) {
            assertThat(held.isFailed()).isFalse();
            assertThatThrownBy(() -> pool.acquire(TestNative.channel("x"), "b", "", null, Duration.ofMillis(100)))
                    .isInstanceOf(PoolExhaustedException.class).hasMessageContaining("100 ms");
            assertThat(pool.metrics().acquireTimeouts()).isEqualTo(1);
        }
    }

    @Test
    void closingThePoolReleasesLeasesStillOut() {
        ConnectionPool pool = ConnectionPool.create(TestNative.service(), ConnectionPoolConfig.of(3));
        Lease a = pool.acquire(TestNative.channel("out"), "a", "", null);
        Lease b = pool.acquire(TestNative.channel("out"), "b", "", null);
        LocalAudioTrack track = a.createAudioTrack(AudioTrackOptions.defaults());
        pool.close();
        pool.close();
        assertThat(a.isClosed()).isTrue();
        assertThat(b.isClosed()).isTrue();
        assertThat(track.isClosed()).isTrue();
        assertThatThrownBy(() -> pool.acquire("c", "u", "", null)).isInstanceOf(IllegalStateException.class);
        assertThat(TestNative.service().openConnections()).isEmpty();
    }
}
