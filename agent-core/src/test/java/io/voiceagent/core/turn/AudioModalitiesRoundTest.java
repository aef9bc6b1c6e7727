package io.voiceagent.core.turn;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.http.OpenAiConfig;
import io.voiceagent.core.http.StreamCall;
import io.voiceagent.core.llm.AudioModalitiesClient;
import io.voiceagent.core.llm.AudioModalitiesServer;
import io.voiceagent.core.llm.AudioModalitiesServerConfig;
import io.voiceagent.core.llm.ChatMessage;
import io.voiceagent.core.time.Ticker;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A round playing an audio-modalities answer from the bundled server over loopback HTTP. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AudioModalitiesRoundTest {

    @TempDir
    Path dir;
    private AudioModalitiesServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Records accepted audio; counts writes after the last clear. */
    static final class Recorder implements RoundAudioOutput {
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        volatile int writesAfterClear;
        volatile boolean cleared;
        volatile int segments;
        final CountDownLatch fiveWrites = new CountDownLatch(5);

        @Override
        public synchronized void write(long roundId, byte[] pcm, int offset, int length) {
            all.write(pcm, offset, length);
            if (cleared) {
                writesAfterClear++;
            }
            fiveWrites.countDown();
        }

        @Override
        public synchronized void endSegment(long roundId) {
            segments++;
        }

        @Override
        public synchronized long clear() {
            cleared = true;
            return 1;
        }
    }

    private byte[] startServer(int pcmBytes, Duration interval) throws Exception {
        byte[] pcm = new byte[pcmBytes];
        new Random(3).nextBytes(pcm);
        Files.write(dir.resolve("a.pcm"), pcm);
        Files.writeString(dir.resolve("a.txt"), "Hi there.", StandardCharsets.UTF_8);
        server = AudioModalitiesServer.start(AudioModalitiesServerConfig.builder().port(0).pcmFile(dir.resolve("a.pcm"))
                .transcriptFile(dir.resolve("a.txt")).chunkInterval(interval).build());
        return pcm;
    }

    private AudioModalitiesClient client() {
        return new AudioModalitiesClient(OpenAiConfig.builder().baseUri(server.baseUri()).apiKey("local").model("m").build());
    }

    @Test
    void roundPlaysTheWholeAnswerAndCompletesWithLatencyFigures() throws Exception {
        byte[] pcm = startServer(12800, Duration.ZERO);
        Recorder out = new Recorder();
        CompletableFuture<RoundResult> ended = new CompletableFuture<>();
        RoundManager m = new RoundManager(RoundManagerConfig.defaults(), out, new RoundListener() {
            @Override
            public void roundEnded(RoundResult result) {
                ended.complete(result);
            }
        }, Ticker.system());
        Round r = m.startRound();
        StringBuilder transcript = new StringBuilder();
        StreamCall call = RoundPipelines.playAudioModalities(r, client(), List.of(ChatMessage.user("hi")),
                transcript::append);
        call.completion().get(20, TimeUnit.SECONDS);
        assertThat(transcript.toString()).isEqualTo("Hi there.");
        assertThat(out.all.toByteArray()).isEqualTo(pcm);
        assertThat(out.segments).isEqualTo(1);
        assertThat(r.isOpen()).isFalse();
        assertThat(ended).isNotDone(); // waits for its first frame to be sent
        m.audioFramesSent(System.nanoTime());
        RoundResult result = ended.get(5, TimeUnit.SECONDS);
        assertThat(result.reason()).isEqualTo(RoundEndReason.COMPLETED);
        assertThat(result.latency().firstLlmToken()).isPresent();
        assertThat(result.latency().firstAudio()).isPresent();
        assertThat(result.latency().firstFrameSent()).isPresent();
        assertThat(result.latency().toFirstFrameSent()).isGreaterThanOrEqualTo(result.latency().toFirstAudio());
    }

    @Test
    void voiceActivationMidStreamCancelsTheRequestAndNoLaterAudioIsWritten() throws Exception {
        startServer(64000, Duration.ofMillis(10)); // 50 chunks, 0.5 s
        Recorder out = new Recorder();
        RecordingListener events = new RecordingListener();
        RoundManager m = new RoundManager(RoundManagerConfig.defaults(), out, events, Ticker.system());
        Round r = m.startRound();
        StreamCall call = RoundPipelines.playAudioModalities(r, client(), List.of(ChatMessage.user("hi")), s -> { });
        assertThat(out.fiveWrites.await(20, TimeUnit.SECONDS)).isTrue();

        assertThat(m.onSpeechStarted()).isTrue();

        assertThat(call.isCancelled()).isTrue();
        AudioModalitiesServer.StreamOutcome o = server.awaitStreamEnd(20, TimeUnit.SECONDS);
        assertThat(o.end()).isEqualTo(AudioModalitiesServer.StreamEnd.CLIENT_DISCONNECTED);
        assertThat(o.audioChunksSent()).isLessThan(o.audioChunksTotal());
        assertThat(out.writesAfterClear).isZero();
        assertThat(events.events()).containsExactly("started 1", "interrupted 1 VOICE_ACTIVATION",
                "ended 1 INTERRUPTED VOICE_ACTIVATION");
    }
}
