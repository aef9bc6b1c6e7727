package io.voiceagent.agora;

import io.voiceagent.core.http.StreamCall;
import io.voiceagent.core.llm.AudioModalitiesClient;
import io.voiceagent.core.turn.Round;
import io.voiceagent.core.turn.RoundPipelines;
import java.util.Objects;

/**
 * {@link AgentPipeline#audioModalities}: plays one audio-modalities answer per round with
 * {@link RoundPipelines#playAudioModalities} (latency marks, ownership of the HTTP call, complete or
 * fail) and reports the transcript, or the part received before an interrupt, as the answer.
 * Thread-safe; one instance serves every round of every agent.
 */
final class AudioModalitiesPipeline implements AgentPipeline {
    private final AudioModalitiesClient client;

    AudioModalitiesPipeline(AudioModalitiesClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public void run(Round round, UserTurn turn) {
        StringBuffer transcript = new StringBuffer(); // appended on the I/O thread, read on completion
        StreamCall call = RoundPipelines.playAudioModalities(round, client, turn.messages(), transcript::append);
        call.completion().whenComplete((v, e) -> turn.reportAnswer(transcript.toString()));
    }

    @Override
    public String toString() {
        return "AudioModalitiesPipeline[" + client + "]";
    }
}
