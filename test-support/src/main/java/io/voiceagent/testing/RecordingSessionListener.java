package io.voiceagent.testing;

import io.voiceagent.core.agent.AgentSessionListener;
import io.voiceagent.core.agent.InterruptTrigger;
import io.voiceagent.core.agent.RoundResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records a session's events as strings ({@code "round-started 1"}, {@code "interrupted 1
 * VOICE_ACTIVATION"}, ...) for exact-sequence assertions, the round results by id, and the name of
 * every thread an event ran on. Thread-safe.
 */
public class RecordingSessionListener implements AgentSessionListener {
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Map<Long, RoundResult> results = new ConcurrentHashMap<>();
    private final List<String> threads = new CopyOnWriteArrayList<>();

    private void record(String event) {
        events.add(event);
        threads.add(Thread.currentThread().getName());
    }

    @Override
    public void userSpeechStarted(String userId) {
        record("speech-started " + userId);
    }

    @Override
    public void userSpeechEnded(String userId, long speechMs) {
        record("speech-ended " + userId);
    }

    @Override
    public void userPartialTranscript(String userId, String text) {
        record("partial " + userId + " '" + text + "'");
    }

    @Override
    public void userTranscript(String userId, String text) {
        record("transcript " + userId + " '" + text + "'");
    }

    @Override
    public void turnFailed(String userId, Throwable error) {
        record("turn-failed " + userId + " " + error.getClass().getSimpleName());
    }

    @Override
    public void roundStarted(long roundId) {
        record("round-started " + roundId);
    }

    @Override
    public void agentSpeechStarted(long roundId) {
        record("agent-speech " + roundId);
    }

    @Override
    public void interrupted(long roundId, InterruptTrigger trigger) {
        record("interrupted " + roundId + " " + trigger);
    }

    @Override
    public void agentPaused(long roundId) {
        record("paused " + roundId);
    }

    @Override
    public void falseInterruption(long roundId) {
        record("false-interruption " + roundId);
    }

    @Override
    public void agentAnswer(long roundId, String text) {
        record("answer " + roundId + " '" + text + "'");
    }

    @Override
    public void roundEnded(RoundResult result) {
        results.put(result.roundId(), result);
        record("round-ended " + result.roundId() + " " + result.reason()
                + (result.trigger() == null ? "" : " " + result.trigger()));
    }

    @Override
    public void sessionClosed() {
        record("closed");
    }

    /** Every event so far, in order. */
    public List<String> events() {
        return List.copyOf(events);
    }

    /** The events that start with {@code prefix} (for example {@code "round-"}). */
    public List<String> events(String prefix) {
        return events.stream().filter(e -> e.startsWith(prefix)).toList();
    }

    /** The result of round {@code id}, or null if it has not ended. */
    public RoundResult result(long id) {
        return results.get(id);
    }

    /** The names of the threads the events ran on, one per event. */
    public List<String> threads() {
        return List.copyOf(threads);
    }
}
