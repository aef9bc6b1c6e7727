package io.voiceagent.core.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.http.IoExecutors;
import io.voiceagent.core.http.StreamCall;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the real espeak-ng. If it is missing these tests fail (not skip) with the install command:
 * CI must install the {@code espeak-ng} package.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EspeakNgTtsTest {

    private static final EspeakNgTts TTS = new EspeakNgTts();

    @BeforeAll
    static void requireEspeak() throws Exception {
        String version = TTS.checkInstalled(); // throws TtsException with the apt-get command if missing
        assertThat(version).containsIgnoringCase("espeak");
    }

    private static double rms(byte[] pcm, int channels, int channel) {
        ByteBuffer b = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN);
        double sum = 0;
        int n = 0;
        for (int i = channel * 2; i + 1 < pcm.length; i += 2 * channels) {
            double s = b.getShort(i);
            sum += s * s;
            n++;
        }
        return Math.sqrt(sum / n);
    }

    @Test
    void synthesizesSpeechAtTheRequestedRate() throws Exception {
        byte[] pcm16 = TTS.synthesizeAll("Hello, this is a test of the voice agent.", PcmFormat.MONO_16K);
        double seconds = pcm16.length / 32000.0;
        assertThat(seconds).isBetween(1.0, 6.0);
        assertThat(rms(pcm16, 1, 0)).isGreaterThan(300.0); // speech, not silence

        byte[] pcm48 = TTS.synthesizeAll("Hello, this is a test of the voice agent.", PcmFormat.STEREO_48K);
        // Same audio at 3x the rate and 2 channels (espeak-ng is deterministic).
        assertThat((double) pcm48.length / pcm16.length).isBetween(5.99, 6.01);
        ByteBuffer b = ByteBuffer.wrap(pcm48).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 3 < pcm48.length; i += 4) {
            if (b.getShort(i) != b.getShort(i + 2)) {
                throw new AssertionError("channels differ at byte " + i);
            }
        }
    }

    @Test
    void blankTextCompletesWithoutAudio() throws Exception {
        assertThat(TTS.synthesizeAll("   ", PcmFormat.MONO_16K)).isEmpty();
    }

    @Test
    void textStartingWithADashIsSpokenNotTakenAsAnOption() throws Exception {
        assertThat(TTS.synthesizeAll("-v is not an option here", PcmFormat.MONO_16K).length).isGreaterThan(16000);
    }

    @Test
    void missingExecutableFailsWithTheInstallHint() {
        EspeakNgTts missing = new EspeakNgTts(EspeakNgConfig.builder().executable("/nonexistent/espeak-ng").build(),
                IoExecutors.shared());
        assertThatThrownBy(() -> missing.synthesizeAll("hi", PcmFormat.MONO_16K)).isInstanceOf(TtsException.class)
                .hasMessageContaining("apt-get install -y espeak-ng");
        assertThatThrownBy(missing::checkInstalled).isInstanceOf(TtsException.class).hasMessageContaining("espeak-ng");
    }

    @Test
    void cancelledSynthesisDeliversNothing() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(1);
        AtomicInteger callbacks = new AtomicInteger();
        // Hold the executor until the call is cancelled, so cancel() happens before the process runs.
        StreamCall call = new EspeakNgTts(EspeakNgConfig.defaults(), r -> IoExecutors.shared().execute(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                return;
            }
            try {
                r.run();
            } finally {
                ran.countDown();
            }
        })).synthesize("A long sentence that would take a while to say.", PcmFormat.MONO_16K, new TtsListener() {
            @Override
            public void onAudio(byte[] pcm) {
                callbacks.incrementAndGet();
            }

            @Override
            public void onComplete() {
                callbacks.incrementAndGet();
            }

            @Override
            public void onError(Throwable error) {
                callbacks.incrementAndGet();
            }
        });
        call.cancel();
        gate.countDown();
        assertThat(call.completion()).isCancelled();
        assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(call.isCancelled()).isTrue();
        assertThat(callbacks).hasValue(0);
    }

    @Test
    void configNamesBadParameter() {
        assertThatThrownBy(() -> EspeakNgConfig.builder().wordsPerMinute(10).build())
                .hasMessageContaining("wordsPerMinute").hasMessageContaining("10");
        assertThatThrownBy(() -> EspeakNgConfig.builder().voice("en us; rm").build()).hasMessageContaining("voice");
    }
}
