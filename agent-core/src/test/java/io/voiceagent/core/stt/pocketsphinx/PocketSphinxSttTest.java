package io.voiceagent.core.stt.pocketsphinx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.audio.Resampler;
import io.voiceagent.core.stt.SpeechStream;
import io.voiceagent.testing.Fixtures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real PocketSphinx (Debian's libpocketsphinx3 + pocketsphinx-en-us, installed by
 * scripts/install-deps.sh) on recorded speech: CMU's "cards" recording of the fixture
 * test_data/real_gaps_16k_1ch.pcm.
 */
class PocketSphinxSttTest {
    private static final PcmFormat F = PcmFormat.MONO_16K;
    /**
     * The fixture's three utterances, each with 200 ms around its labels. The first is recognized
     * poorly by a decoder's first utterance (live cepstral normalization starts from the model's
     * initial means), so the assertions on words use the second ("seven of clubs") and third.
     */
    private static final int[][] UTTERANCES = {{1300, 2433}, {3533, 5033}, {6133, 8968}};
    private static PocketSphinxStt stt;

    @BeforeAll
    static void load() {
        assertThat(PocketSphinxStt.isAvailable()).as("%s", PocketSphinxStt.unavailableReason()).isTrue();
        stt = PocketSphinxStt.create(PocketSphinxConfig.builder().maxDecoders(2).build());
    }

    @AfterAll
    static void close() {
        stt.close();
    }

    private static byte[] utterance(int i) {
        return Fixtures.slice(Fixtures.REAL_GAPS, UTTERANCES[i][0], UTTERANCES[i][1]);
    }

    private static String streamInFrames(byte[] pcm, PcmFormat format, List<String> partials, List<String> threads)
            throws Exception {
        SpeechStream s = stt.startStream(format, text -> {
            partials.add(text);
            threads.add(Thread.currentThread().getName());
        });
        int fb = format.bytesPerFrame();
        for (int off = 0; off + fb <= pcm.length; off += fb) {
            s.write(pcm, off, fb);
        }
        return s.finish().get(60, TimeUnit.SECONDS).text();
    }

    @Test
    void streamsPartialsEvery200msOfAudioAndEndsWithTheRecognizedWords() throws Exception {
        byte[] pcm = utterance(2); // 2.8 s
        List<String> partials = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        String streamed = streamInFrames(pcm, F, partials, threads);
        String whole = stt.transcribe(pcm, F).get(60, TimeUnit.SECONDS).text();

        // Live cepstral normalization depends on how the audio is cut, so a word may differ.
        assertThat(streamed).contains("young man");
        assertThat(whole).contains("young man");
        // The hypothesis is read every 200 ms of audio (14 readings in 2.8 s) and reported when it is
        // not empty: only the first 200 ms (silence before the words) may give none.
        long durationMs = F.durationMillis(pcm.length);
        assertThat(partials.size()).isGreaterThanOrEqualTo((int) (durationMs / 200) - 2);
        assertThat(partials).allSatisfy(p -> assertThat(p).isNotBlank());
        assertThat(threads).allSatisfy(t -> assertThat(t).startsWith("voiceagent-pocketsphinx-"));
        // The last partial is the hypothesis of (almost) the whole utterance: the final text starts as it does.
        String last = partials.get(partials.size() - 1);
        assertThat(streamed.split(" ")[0]).isEqualTo(last.split(" ")[0]);
    }

    @Test
    void recognizesTheRecordedWords() throws Exception {
        assertThat(stt.transcribe(utterance(1), F).get(60, TimeUnit.SECONDS).text()).contains("seven of clubs");
    }

    @Test
    void stereo48kInputIsMixedAndResampledToTheModelRate() throws Exception {
        byte[] mono16 = utterance(2);
        short[] s16 = new short[mono16.length / 2];
        ByteBuffer.wrap(mono16).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s16);
        short[] s48 = Resampler.resample(s16, 16_000, 48_000);
        ByteBuffer stereo = ByteBuffer.allocate(s48.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : s48) {
            stereo.putShort(v).putShort(v);
        }
        PcmFormat f48 = PcmFormat.of(48_000, 2);
        // A fresh decoder: live cepstral normalization carries over from one utterance to the next.
        try (PocketSphinxStt fresh = PocketSphinxStt.create(PocketSphinxConfig.builder().maxDecoders(1).build())) {
            SpeechStream s = fresh.startStream(f48, t -> { });
            byte[] pcm = stereo.array();
            for (int off = 0; off + f48.bytesPerFrame() <= pcm.length; off += f48.bytesPerFrame()) {
                s.write(pcm, off, f48.bytesPerFrame());
            }
            assertThat(s.finish().get(60, TimeUnit.SECONDS).text()).contains("young man");
        }
    }

    @Test
    void decodersAreReusedAndUtterancesBeyondThePoolWaitForOne() throws Exception {
        List<CompletableFuture<String>> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            all.add(stt.transcribe(utterance(i % 3), F).thenApply(t -> t.text()));
        }
        for (CompletableFuture<String> f : all) {
            assertThat(f.get(120, TimeUnit.SECONDS)).isNotBlank();
        }
        assertThat(stt.decoders()).isBetween(1, 2);
        assertThat(all.get(1).get()).contains("of clubs");
        assertThat(all.get(4).get()).contains("of clubs");
    }

    @Test
    void aCancelledStreamEndsCancelledAndGivesItsDecoderBack() throws Exception {
        List<String> partials = new CopyOnWriteArrayList<>();
        SpeechStream s = stt.startStream(F, partials::add);
        byte[] pcm = utterance(1);
        s.write(pcm, 0, pcm.length / 2);
        s.cancel();
        assertThat(s.finish().isCancelled()).isTrue();
        int seen = partials.size();
        s.write(pcm, pcm.length / 2, pcm.length / 2); // ignored
        // Two more utterances at once still complete on the pool of two.
        CompletableFuture<?> a = stt.transcribe(utterance(0), F);
        CompletableFuture<?> b = stt.transcribe(utterance(1), F);
        a.get(60, TimeUnit.SECONDS);
        b.get(60, TimeUnit.SECONDS);
        assertThat(stt.decoders()).isLessThanOrEqualTo(2);
        assertThat(partials).hasSize(seen);
    }

    @Test
    void badConfigurationIsNamed() {
        assertThatThrownBy(() -> PocketSphinxConfig.builder().partialInterval(Duration.ofMillis(500)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partialInterval")
                .hasMessageContaining("500");
        assertThatThrownBy(() -> PocketSphinxConfig.builder().maxDecoders(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDecoders");
        assertThatThrownBy(() -> PocketSphinxStt.create(PocketSphinxConfig.builder().modelDir(Path.of("/nonexistent"))
                .build())).isInstanceOf(IllegalStateException.class).hasMessageContaining("acousticModel")
                .hasMessageContaining("pocketsphinx-en-us");
        assertThatThrownBy(() -> stt.startStream(F, t -> { }).write(new byte[3], 0, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length");
    }

}
