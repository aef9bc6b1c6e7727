package io.voiceagent.core.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.http.StreamCall;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EchoChatClientTest {
    @Test
    void answersWithTheLastUserMessageStreamedWordByWord() throws Exception {
        List<String> deltas = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        CompletableFuture<String> done = new CompletableFuture<>();
        new EchoChatClient(Duration.ofMillis(1)).streamChat(List.of(ChatMessage.system("be kind"),
                ChatMessage.user("first"), ChatMessage.assistant("You said: first."), ChatMessage.user(" seven of clubs ")),
                new ChatStreamListener() {
                    @Override
                    public void onTextDelta(String delta) {
                        deltas.add(delta);
                        threads.add(Thread.currentThread().getName());
                    }

                    @Override
                    public void onComplete(String fullText, String finishReason) {
                        done.complete(fullText);
                    }
                });
        assertThat(done.get(5, TimeUnit.SECONDS)).isEqualTo("You said: seven of clubs.");
        assertThat(deltas).containsExactly("You", " said:", " seven", " of", " clubs.");
        assertThat(threads).allMatch(EchoChatClient.THREAD::equals);
        assertThat(EchoChatClient.answer(List.of(ChatMessage.user("  ")))).isEqualTo("I did not catch that.");
    }

    @Test
    void aCancelledCallStopsStreaming() throws Exception {
        List<String> deltas = new CopyOnWriteArrayList<>();
        StreamCall call = new EchoChatClient(Duration.ofMillis(50)).streamChat(List.of(ChatMessage.user(
                "one two three four five six")), deltas::add);
        Thread.sleep(70);
        call.cancel();
        int seen = deltas.size();
        Thread.sleep(200);
        assertThat(deltas).hasSize(seen).hasSizeLessThan(8);
        assertThat(call.completion().isCancelled()).isTrue();
    }
}
