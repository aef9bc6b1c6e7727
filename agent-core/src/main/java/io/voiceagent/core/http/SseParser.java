package io.voiceagent.core.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Incremental parser of a {@code text/event-stream} body (the WHATWG Server-Sent Events format):
 * feed it the bytes in chunks of any size as they arrive and it calls the consumer once per
 * complete event. The result does not depend on where the chunks are cut (a UTF-8 character, a
 * CRLF pair or a field name may be split between two chunks).
 *
 * <p>Handled: lines ending in LF, CR or CRLF; comment lines (starting with {@code ':'}), which are
 * ignored; several {@code data:} lines joined with {@code '\n'}; one optional space after the
 * colon; a field without a colon (its value is empty); {@code event}, {@code id} (persisting;
 * ignored if it contains NUL) and {@code retry} (digits only); a leading byte-order mark; unknown
 * fields (ignored). An event is dispatched at a blank line, and only if it had a {@code data}
 * field. Lines longer than the limit throw {@link SseFormatException} so a broken server cannot
 * exhaust memory.
 *
 * <p><b>End of stream.</b> The specification drops an event that is not followed by a blank
 * line; {@link #finish()} instead dispatches it, because some OpenAI-compatible servers close the
 * connection right after the last {@code data:} line. Protocol markers such as {@code [DONE]} are
 * ordinary data here; the caller interprets them.
 *
 * <p>Not thread-safe: one parser per stream, fed by one thread at a time. The consumer is called
 * synchronously from {@link #feed} and {@link #finish()}; an exception it throws propagates to the
 * caller and leaves the parser positioned after the dispatched event.
 */
public final class SseParser {

    /** Default longest line, in bytes: 4 MiB (a base64 audio chunk is a few KiB). */
    public static final int DEFAULT_MAX_LINE_BYTES = 4 << 20;

    private final Consumer<SseEvent> consumer;
    private final int maxLineBytes;

    private byte[] line = new byte[512];
    private int lineLength;
    private boolean afterCr;
    private boolean firstLine = true;

    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String eventType;
    private String lastEventId = "";
    private long retryMillis = -1;

    /** A parser with {@link #DEFAULT_MAX_LINE_BYTES}. */
    public SseParser(Consumer<SseEvent> consumer) {
        this(consumer, DEFAULT_MAX_LINE_BYTES);
    }

    /**
     * @param consumer receives every dispatched event, in stream order
     * @param maxLineBytes longest accepted line in bytes, without its terminator; at least 1
     */
    public SseParser(Consumer<SseEvent> consumer, int maxLineBytes) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be >= 1; got " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
    }

    /** {@link #feed(byte[], int, int)} of the whole array. */
    public void feed(byte[] chunk) {
        feed(chunk, 0, chunk.length);
    }

    /**
     * Parses the next {@code length} bytes of the stream, dispatching every event they complete.
     *
     * @throws SseFormatException if a line exceeds the limit
     */
    public void feed(byte[] chunk, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, chunk.length);
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            byte b = chunk[i];
            if (afterCr) {
                afterCr = false;
                if (b == '\n') {
                    continue; // second half of CRLF
                }
            }
            if (b == '\r') {
                afterCr = true;
                endOfLine();
            } else if (b == '\n') {
                endOfLine();
            } else {
                if (lineLength == maxLineBytes) {
                    throw new SseFormatException("SSE line longer than " + maxLineBytes + " bytes");
                }
                if (lineLength == line.length) {
                    line = Arrays.copyOf(line, Math.min(maxLineBytes, line.length * 2));
                }
                line[lineLength++] = b;
            }
        }
    }

    /**
     * Ends the stream: an unterminated last line is processed, and an event still pending is
     * dispatched (see the class comment). The parser is then reset for a new stream, keeping the
     * last event id.
     */
    public void finish() {
        if (lineLength > 0) {
            endOfLine();
        }
        afterCr = false;
        firstLine = true;
        dispatch();
    }

    /** The last {@code retry} value in milliseconds, or -1 if none was received. */
    public long retryMillis() {
        return retryMillis;
    }

    /** The last event id received ("" if none). */
    public String lastEventId() {
        return lastEventId;
    }

    private void endOfLine() {
        String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
        lineLength = 0;
        if (firstLine) {
            firstLine = false;
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
        }
        if (line.length > 4096) {
            line = new byte[512]; // do not keep a huge buffer after one long line
        }
        processLine(text);
    }

    private void processLine(String text) {
        if (text.isEmpty()) {
            dispatch();
            return;
        }
        if (text.charAt(0) == ':') {
            return; // comment (keep-alive)
        }
        int colon = text.indexOf(':');
        String field;
        String value;
        if (colon < 0) {
            field = text;
            value = "";
        } else {
            field = text.substring(0, colon);
            int start = colon + 1;
            if (start < text.length() && text.charAt(start) == ' ') {
                start++;
            }
            value = text.substring(start);
        }
        switch (field) {
            case "data":
                data.append(value).append('\n');
                hasData = true;
                break;
            case "event":
                eventType = value;
                break;
            case "id":
                if (value.indexOf('\0') < 0) {
                    lastEventId = value;
                }
                break;
            case "retry":
                if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9') && value.length() <= 18) {
                    retryMillis = Long.parseLong(value);
                }
                break;
            default:
                break; // unknown fields are ignored
        }
    }

    private void dispatch() {
        if (!hasData) {
            eventType = null;
            return;
        }
        data.setLength(data.length() - 1); // the last '\n'
        String type = eventType == null || eventType.isEmpty() ? SseEvent.DEFAULT_TYPE : eventType;
        SseEvent event = new SseEvent(lastEventId, type, data.toString());
        data.setLength(0);
        hasData = false;
        eventType = null;
        consumer.accept(event);
    }
}
