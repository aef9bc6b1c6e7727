package io.voiceagent.core.http;

import java.util.Objects;

/**
 * One dispatched Server-Sent Event. Immutable.
 *
 * @param lastEventId the last {@code id} field seen on the stream so far ("" if none), as the SSE
 *     specification defines it (it persists across events)
 * @param type the {@code event} field, or {@code "message"} when the event had none
 * @param data the {@code data} lines joined with {@code '\n'} (no trailing newline)
 */
public record SseEvent(String lastEventId, String type, String data) {

    /** The type of an event without an {@code event} field. */
    public static final String DEFAULT_TYPE = "message";

    public SseEvent {
        Objects.requireNonNull(lastEventId, "lastEventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }
}
