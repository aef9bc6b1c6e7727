package io.voiceagent.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code bench vad-accuracy} on the labelled fixtures at two phases: its replay and its figures hold up. */
class VadAccuracyCommandTest {
    @Test
    void replayReproducesTheDetectorAndAudioTimeRemovesTheLag() throws Exception {
        StringWriter text = new StringWriter();
        CommandLine cli = new CommandLine(new VadAccuracyCommand());
        cli.setOut(new PrintWriter(text));
        int rc = cli.execute("--shifts", "2");
        assertThat(rc).as(text.toString()).isZero();
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> variants = new HashMap<>();
        JsonNode summary = null;
        for (String line : text.toString().split("\n")) {
            JsonNode n = json.readTree(line);
            if (n.path("summary").asBoolean()) {
                summary = n;
            } else {
                variants.put(n.get("variant").asText(), n);
            }
        }
        assertThat(summary).isNotNull();
        assertThat(summary.get("replay_matches_detector").asBoolean()).isTrue();
        assertThat(summary.get("labels").asInt()).isEqualTo(12); // 2 fixtures x 3 utterances x 2 phases
        assertThat(variants).containsKeys("arrival_time", "own_first", "own_majority", "own_later",
                "lookahead_0", "lookahead_1", "lookahead_2");
        // The replay of the detector's rule gives the detector's figures exactly.
        for (String figure : new String[] {"frame_precision_at_recall_0.90", "frame_precision_at_recall_0.95",
            "probability_lag_ms", "segments", "start_decision_latency_ms", "stop_decision_latency_ms"}) {
            assertThat(variants.get("own_later").get(figure)).as(figure)
                    .isEqualTo(variants.get("lookahead_0").get(figure));
        }
        double before = variants.get("arrival_time").at("/probability_lag_ms/onset").asDouble();
        double after = variants.get("lookahead_0").at("/probability_lag_ms/onset").asDouble();
        // The arrival-time mapping trails the audio by one window for 15 of 16 frames: 30 ms.
        assertThat(before - after).isBetween(20.0, 40.0);
        assertThat(variants.get("lookahead_0").get("frame_precision_at_recall_0.90").asDouble())
                .isGreaterThan(variants.get("arrival_time").get("frame_precision_at_recall_0.90").asDouble());
        for (JsonNode v : variants.values()) {
            assertThat(v.at("/segments/recall").asDouble()).as(v.toString()).isEqualTo(1.0);
        }
    }
}
