package io.voiceagent.core.turn;

import java.util.ArrayList;
import java.util.List;

/** Records events as strings (and results) for exact-sequence assertions. */
final class RecordingListener implements RoundListener {
    final List<String> events = new ArrayList<>();
    final List<RoundResult> results = new ArrayList<>();

    @Override
    public synchronized void roundStarted(long roundId) {
        events.add("started " + roundId);
    }

    @Override
    public synchronized void interrupted(long roundId, InterruptTrigger trigger) {
        events.add("interrupted " + roundId + " " + trigger);
    }

    @Override
    public synchronized void roundEnded(RoundResult result) {
        events.add("ended " + result.roundId() + " " + result.reason() + (result.trigger() == null ? "" : " " + result.trigger()));
        results.add(result);
    }

    synchronized List<String> events() {
        return List.copyOf(events);
    }
}
