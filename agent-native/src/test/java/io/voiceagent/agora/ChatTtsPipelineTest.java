package io.voiceagent.agora;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.http.StreamCall;
import io.voiceagent.core.llm.ChatClient;
import io.voiceagent.core.llm.ChatMessage;
import io.voiceagent.core.llm.ChatStreamListener;
import io.voiceagent.core.time.Ticker;
import io.voiceagent.core.tts.TextToSpeech;
import io.voiceagent.core.tts.TtsListener;
import io.voiceagent.core.turn.Round;
import io.voiceagent.core.turn.RoundAudioOutput;
import io.voiceagent.core.turn.RoundEndReason;
import io.voiceagent.core.turn.RoundListener;
import io.voiceagent.core.turn.RoundManager;
import io.voiceagent.core.turn.RoundManagerConfig;
import io.voiceagent.core.turn.RoundResult;
import io.voiceagent.core.turn.TextSegmenterConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The LLM -> segmenter -> TTS pipeline with a scripted chat stream and a "TTS" whose audio is the
 * segment's UTF-8 bytes: the round's audio is the sentences in order, the round completes, the
 * answer lands in the turn; an interrupt cancels the LLM call and the running synthesis.
 */
@ExtendWith(NativeLeakExtension.class)
class ChatTtsPipelineTest {
    private final ExecutorService io = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        io.shutdownNow();
    }

    /** A StreamCall run on the test's I/O thread. */
    static class Call implements StreamCall {
        final AtomicBoolean cancelled = new AtomicBoolean();
        final CompletableFuture<Void> done = new CompletableFuture<>();

        @Override
        public void cancel() {
            cancelled.set(true);
            done.cancel(false);
        }

        @Override
        public boolean isCancelled() {
            return cancelled.get();
        }

        @Override
        public CompletableFuture<Void> completion() {
            return done;
        }
    }

    /** Streams the deltas; if {@code hold} is set, stops before the last one until cancelled. */
    class ScriptedChat implements ChatClient {
        final List<String> deltas;
        final List<Call> calls = new CopyOnWriteArrayList<>();
        volatile List<ChatMessage> lastMessages;

        ScriptedChat(String... deltas) {
            this.deltas = List.of(deltas);
        }

        @Override
        public StreamCall streamChat(List<ChatMessage> messages, ChatStreamListener listener) {
            lastMessages = messages;
            Call call = new Call();
            calls.add(call);
            io.execute(() -> {
                StringBuilder all = new StringBuilder();
                for (String d : deltas) {
                    if (call.isCancelled()) {
                        return;
                    }
                    all.append(d);
                    listener.onTextDelta(d);
                }
                listener.onComplete(all.toString(), "stop");
                call.done.complete(null);
            });
            return call;
        }
    }

    /** "Synthesizes" the text as its bytes (even length), on the I/O thread. */
    final class BytesTts implements TextToSpeech {
        final List<String> texts = new CopyOnWriteArrayList<>();
        final AtomicInteger cancelled = new AtomicInteger();

        @Override
        public StreamCall synthesize(String text, PcmFormat format, TtsListener listener) {
            texts.add(text);
            Call call = new Call() {
                @Override
                public void cancel() {
                    if (!cancelled.get()) {
                        BytesTts.this.cancelled.incrementAndGet();
                    }
                    super.cancel();
                }
            };
            io.execute(() -> {
                if (call.isCancelled()) {
                    return;
                }
                byte[] b = text.getBytes(StandardCharsets.UTF_8);
                listener.onAudio(b.length % 2 == 0 ? b : java.util.Arrays.copyOf(b, b.length + 1));
                listener.onComplete();
                call.done.complete(null);
            });
            return call;
        }
    }

    static final class Recorder implements RoundAudioOutput {
        final ByteArrayOutputStream audio = new ByteArrayOutputStream();

        @Override
        public synchronized void write(long roundId, byte[] pcm, int offset, int length) {
            audio.write(pcm, offset, length);
        }

        @Override
        public synchronized long clear() {
            long n = audio.size();
            audio.reset();
            return n;
        }

        synchronized String text() {
            return audio.toString(StandardCharsets.UTF_8).replace("\0", "");
        }
    }

    private static UserTurn turn(String text, List<String> answers) {
        return new UserTurn("caller", new byte[320], PcmFormat.MONO_16K, text,
                List.of(ChatMessage.user(text)), (t, a) -> answers.add(a));
    }

    @Test
    void speaksTheSentencesInOrderAndCompletes() {
        ScriptedChat chat = new ScriptedChat("Hello there", ", friend. How are", " you today? I am fine", ".");
        BytesTts tts = new BytesTts();
        Recorder out = new Recorder();
        List<RoundResult> ended = new CopyOnWriteArrayList<>();
        List<String> answers = new CopyOnWriteArrayList<>();
        RoundManager rounds = new RoundManager(RoundManagerConfig.defaults(), out, new RoundListener() {
            @Override
            public void roundEnded(RoundResult r) {
                ended.add(r);
            }
        }, Ticker.system());
        Round round = rounds.startRound();
        AgentPipeline.chatThenSpeech(chat, tts, TextSegmenterConfig.builder().minChars(5).build())
                .run(round, turn("hi", answers));
        assertThat(TestNative.await(() -> !answers.isEmpty(), Duration.ofSeconds(5))).isTrue();
        assertThat(ended).as("a completed round with audio waits for its first frame sent").isEmpty();
        assertThat(tts.texts).hasSizeGreaterThan(1);
        assertThat(String.join(" ", tts.texts)).isEqualTo("Hello there, friend. How are you today? I am fine.");
        assertThat(out.text()).isEqualTo(String.join("", tts.texts));
        assertThat(chat.lastMessages).containsExactly(ChatMessage.user("hi"));
        // Completion waits for the first frame sent; with no pacer here it ends once reported.
        rounds.audioFramesSent(System.nanoTime());
        assertThat(TestNative.await(() -> ended.stream().anyMatch(r -> r.reason() == RoundEndReason.COMPLETED),
                Duration.ofSeconds(2))).as("%s", ended).isTrue();
        assertThat(ended.get(0).latency().firstLlmToken()).isPresent();
        assertThat(answers).containsExactly(String.join(" ", tts.texts));
    }

    @Test
    void aTurnWithoutTextFailsTheRound() {
        List<RoundResult> ended = new CopyOnWriteArrayList<>();
        RoundManager rounds = new RoundManager(RoundManagerConfig.defaults(), new Recorder(), new RoundListener() {
            @Override
            public void roundEnded(RoundResult r) {
                ended.add(r);
            }
        }, Ticker.system());
        Round round = rounds.startRound();
        AgentPipeline.chatThenSpeech(new ScriptedChat("x"), new BytesTts(), TextSegmenterConfig.defaults())
                .run(round, new UserTurn("caller", new byte[320], PcmFormat.MONO_16K, null, List.of(), null));
        assertThat(ended).singleElement().satisfies(r -> assertThat(r.reason()).isEqualTo(RoundEndReason.FAILED));
    }

    @Test
    void anInterruptCancelsTheLlmCallAndDropsTheAudio() throws Exception {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        ScriptedChat chat = new ScriptedChat("First sentence here. ", "Second one") {
            @Override
            public StreamCall streamChat(List<ChatMessage> messages, ChatStreamListener listener) {
                Call call = new Call();
                calls.add(call);
                io.execute(() -> listener.onTextDelta("First sentence here. "));
                return call; // never completes: the LLM is still "thinking" when the user barges in
            }
        };
        BytesTts tts = new BytesTts();
        Recorder out = new Recorder();
        List<String> answers = new CopyOnWriteArrayList<>();
        RoundManager rounds = new RoundManager(RoundManagerConfig.defaults(), out, new RoundListener() {}, Ticker.system());
        Round round = rounds.startRound();
        AgentPipeline.chatThenSpeech(chat, tts, TextSegmenterConfig.builder().minChars(5).build())
                .run(round, turn("hi", answers));
        assertThat(TestNative.await(() -> !out.text().isEmpty(), Duration.ofSeconds(5))).isTrue();
        assertThat(rounds.interrupt()).isTrue();
        assertThat(chat.calls).singleElement().satisfies(c -> assertThat(c.isCancelled()).isTrue());
        assertThat(out.text()).as("queued audio dropped").isEmpty();
        assertThat(round.writeAudio(new byte[2])).isFalse();
        assertThat(answers).containsExactly("First sentence here.");
        gate.complete(null);
    }
}
