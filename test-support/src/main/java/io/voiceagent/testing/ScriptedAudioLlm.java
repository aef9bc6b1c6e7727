package io.voiceagent.testing;

import io.voiceagent.core.llm.AudioChatClient;
import io.voiceagent.core.llm.AudioModalitiesListener;
import io.voiceagent.core.llm.ChatMessage;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An audio LLM from a script: every request streams {@code transcript}, then {@code audio} in chunks of
 * {@code chunkBytes} (the first after {@code firstDelay}, the next each {@code interval} later), then
 * completes. Records requests. Thread-safe.
 */
public final class ScriptedAudioLlm implements AudioChatClient {
    private final Scheduler scheduler;
    private final Duration firstDelay;
    private final Duration interval;
    private final String transcript;
    private final byte[] audio;
    private final int chunkBytes;
    private final List<List<ChatMessage>> requests = new CopyOnWriteArrayList<>();
    private final List<FakeCall> calls = new CopyOnWriteArrayList<>();

    public ScriptedAudioLlm(Scheduler scheduler, Duration firstDelay, Duration interval, String transcript, byte[] audio,
            int chunkBytes) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.firstDelay = firstDelay;
        this.interval = interval;
        this.transcript = transcript;
        this.audio = audio.clone();
        this.chunkBytes = chunkBytes;
    }

    @Override
    public FakeCall stream(List<ChatMessage> messages, AudioModalitiesListener listener) {
        requests.add(List.copyOf(messages));
        FakeCall call = new FakeCall();
        calls.add(call);
        scheduler.schedule(firstDelay, () -> {
            if (!call.isCancelled()) {
                listener.onTranscript(transcript);
            }
        });
        Duration at = firstDelay;
        for (int off = 0; off < audio.length; off += chunkBytes) {
            byte[] chunk = java.util.Arrays.copyOfRange(audio, off, Math.min(audio.length, off + chunkBytes));
            scheduler.schedule(at, () -> {
                if (!call.isCancelled()) {
                    listener.onAudio("audio-1", chunk);
                }
            });
            at = at.plus(interval);
        }
        scheduler.schedule(at, () -> {
            if (!call.isCancelled()) {
                call.finish(null);
                listener.onComplete();
            }
        });
        return call;
    }

    public List<List<ChatMessage>> requests() {
        return List.copyOf(requests);
    }

    public List<FakeCall> calls() {
        return List.copyOf(calls);
    }
}
