package io.voiceagent.core.avatar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The avatar audio protocol (seed 004) between an agent and an avatar worker, over a WebSocket (and,
 * for control messages, an Agora data stream):
 * <ul>
 *   <li>agent to worker, binary: PCM16 little-endian in the link's format (16 kHz mono unless both
 *       sides say otherwise), in chunks of any length;</li>
 *   <li>agent to worker, text {@code {"type": "segment_end"}}: the TTS turn written so far is complete;</li>
 *   <li>agent to worker, text {@code INTERRUPT}: barge-in, stop at once and drop what is queued (the
 *       JSON form {@code {"type": "interrupt"}} is accepted too);</li>
 *   <li>worker to agent, text {@code {"type": "stream_ended", "data": {"playback_position": seconds,
 *       "interrupted": bool}}}: one per segment, when it finished playing or was cut off, with how much
 *       of it was actually played.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class AvatarProtocol {
    /** The bare text message that interrupts the worker. */
    public static final String INTERRUPT = "INTERRUPT";
    /** The text message that ends a segment. */
    public static final String SEGMENT_END = "{\"type\":\"segment_end\"}";
    /** Longest text message either side reads (anything longer is malformed). */
    public static final int MAX_TEXT_CHARS = 4096;

    private static final ObjectMapper JSON = new ObjectMapper();

    private AvatarProtocol() {}

    /** A parsed text message. */
    public sealed interface Message permits SegmentEnd, Interrupt, StreamEnded, Unknown, Malformed {}

    /** {@code {"type": "segment_end"}}. */
    public record SegmentEnd() implements Message {}

    /** {@code INTERRUPT}. */
    public record Interrupt() implements Message {}

    /**
     * {@code stream_ended}: a segment finished or was cut off.
     *
     * @param playbackPosition how much of the segment was played
     * @param interrupted whether an interrupt cut it off
     */
    public record StreamEnded(Duration playbackPosition, boolean interrupted) implements Message {
        public StreamEnded {
            Objects.requireNonNull(playbackPosition, "playbackPosition");
        }
    }

    /** Well-formed JSON of a type this side does not know. */
    public record Unknown(String type) implements Message {}

    /** Not a message of the protocol: not JSON, no type, wrong field types. */
    public record Malformed(String reason) implements Message {}

    /** The {@code stream_ended} message for a segment of which {@code played} was played. */
    public static String streamEnded(Duration played, boolean interrupted) {
        Objects.requireNonNull(played, "played");
        double seconds = played.toNanos() / 1e9;
        return String.format(Locale.ROOT,
                "{\"type\":\"stream_ended\",\"data\":{\"playback_position\":%.3f,\"interrupted\":%b}}", seconds,
                interrupted);
    }

    /** Parses one text message; never throws. */
    public static Message parse(String text) {
        if (text == null) {
            return new Malformed("null message");
        }
        if (text.length() > MAX_TEXT_CHARS) {
            return new Malformed("message of " + text.length() + " characters (limit " + MAX_TEXT_CHARS + ")");
        }
        String t = text.strip();
        if (t.equals(INTERRUPT)) {
            return new Interrupt();
        }
        JsonNode n;
        try {
            n = JSON.readTree(t);
        } catch (Exception e) {
            return new Malformed("not JSON: " + excerpt(t));
        }
        if (n == null || !n.isObject() || !n.path("type").isTextual()) {
            return new Malformed("no \"type\" string: " + excerpt(t));
        }
        String type = n.get("type").asText();
        switch (type.toLowerCase(Locale.ROOT)) {
            case "segment_end":
                return new SegmentEnd();
            case "interrupt":
                return new Interrupt();
            case "stream_ended": {
                JsonNode pos = n.path("data").path("playback_position");
                JsonNode cut = n.path("data").path("interrupted");
                if (!pos.isNumber() || pos.asDouble() < 0 || !Double.isFinite(pos.asDouble()) || !cut.isBoolean()) {
                    return new Malformed("stream_ended needs data.playback_position >= 0 (seconds) and"
                            + " data.interrupted (boolean): " + excerpt(t));
                }
                return new StreamEnded(Duration.ofNanos(Math.round(pos.asDouble() * 1e9)), cut.asBoolean());
            }
            default:
                return new Unknown(type);
        }
    }

    /** The start of {@code s}, for a log line (messages are data from the other side: never log all of it). */
    static String excerpt(String s) {
        String one = s.replaceAll("[\\r\\n\\t]", " ");
        return one.length() <= 80 ? one : one.substring(0, 80) + "...";
    }
}
