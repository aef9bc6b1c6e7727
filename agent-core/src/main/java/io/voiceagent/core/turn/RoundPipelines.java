package io.voiceagent.core.turn;

import io.voiceagent.core.http.StreamCall;
import io.voiceagent.core.llm.AudioModalitiesClient;
import io.voiceagent.core.llm.AudioModalitiesListener;
import io.voiceagent.core.llm.ChatMessage;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Ready-made wiring of a round's producers: start the request, make the round own it, write its
 * audio through the round's gate, record the latency marks, and complete or fail the round.
 */
public final class RoundPipelines {

    private RoundPipelines() {
    }

    /**
     * Plays an audio-modalities answer in {@code round}: the first transcript delta marks the
     * first LLM token, each PCM chunk is written with {@link Round#writeAudio} (the first marks the
     * first audio), {@code [DONE]} ends the audio segment and completes the round, a failure fails
     * it. Interrupting the round cancels the HTTP request; a write refused because the round was
     * interrupted cancels it too. The PCM must be in the output's format (16 kHz mono for the
     * bundled server).
     *
     * @param transcript receives the transcript deltas on the I/O thread (may be a no-op)
     * @return the running call (already owned by the round)
     */
    public static StreamCall playAudioModalities(Round round, AudioModalitiesClient client, List<ChatMessage> messages,
            Consumer<String> transcript) {
        Objects.requireNonNull(round, "round");
        Objects.requireNonNull(transcript, "transcript");
        AtomicReference<StreamCall> self = new AtomicReference<>();
        StreamCall call = client.stream(messages, new AudioModalitiesListener() {
            @Override
            public void onTranscript(String delta) {
                round.markFirstLlmToken();
                transcript.accept(delta);
            }

            @Override
            public void onAudio(String audioId, byte[] pcm) {
                round.markFirstLlmToken();
                if (!round.writeAudio(pcm)) {
                    StreamCall c = self.get();
                    if (c != null) {
                        c.cancel();
                    }
                }
            }

            @Override
            public void onComplete() {
                round.endAudioSegment();
                round.complete();
            }

            @Override
            public void onError(Throwable error) {
                round.fail(error);
            }
        });
        self.set(call);
        round.own(call::cancel);
        return call;
    }
}
