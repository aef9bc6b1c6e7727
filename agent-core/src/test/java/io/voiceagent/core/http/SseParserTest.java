package io.voiceagent.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SseParserTest {

    private static List<SseEvent> parseWhole(String stream) {
        List<SseEvent> out = new ArrayList<>();
        SseParser p = new SseParser(out::add);
        p.feed(stream.getBytes(StandardCharsets.UTF_8));
        p.finish();
        return out;
    }

    @Test
    void parsesDataEventIdCommentsAndMultiLineData() {
        String s = ": keep-alive comment\n"
                + "data: first\n\n"
                + "event: audio\n"
                + "id: 7\n"
                + "data: line1\n"
                + "data:line2\n"
                + "data\n"
                + "\n"
                + ":another comment\n"
                + "retry: 1500\n"
                + "data: [DONE]\n\n";
        List<SseEvent> events = parseWhole(s);
        assertThat(events).containsExactly(
                new SseEvent("", "message", "first"),
                new SseEvent("7", "audio", "line1\nline2\n"),
                new SseEvent("7", "message", "[DONE]"));
    }

    @Test
    void acceptsCrLfAndBareCrLineEndings() {
        assertThat(parseWhole("data: a\r\n\r\ndata: b\r\rdata: c\n\r\n"))
                .extracting(SseEvent::data).containsExactly("a", "b", "c");
    }

    @Test
    void blankLineWithoutDataDispatchesNothingAndResetsEventType() {
        assertThat(parseWhole("event: x\n\ndata: y\n\n")).containsExactly(new SseEvent("", "message", "y"));
    }

    @Test
    void onlyOneLeadingSpaceIsStrippedAndColonsInValueKept() {
        assertThat(parseWhole("data:  two spaces: {\"a\":1}\n\n")).extracting(SseEvent::data)
                .containsExactly(" two spaces: {\"a\":1}");
    }

    @Test
    void leadingBomIsIgnoredAndIdWithNulIsIgnored() {
        assertThat(parseWhole("\uFEFFid: 1\ndata: a\n\nid: x\0y\ndata: b\n\n"))
                .containsExactly(new SseEvent("1", "message", "a"), new SseEvent("1", "message", "b"));
    }

    @Test
    void unterminatedLastEventIsDispatchedAtFinish() {
        assertThat(parseWhole("data: a\n\ndata: tail")).extracting(SseEvent::data).containsExactly("a", "tail");
    }

    @Test
    void nothingIsDispatchedBeforeTheBlankLine() {
        List<SseEvent> out = new ArrayList<>();
        SseParser p = new SseParser(out::add);
        p.feed("data: a\n".getBytes(StandardCharsets.UTF_8));
        assertThat(out).isEmpty();
        p.feed("\r".getBytes(StandardCharsets.UTF_8));
        assertThat(out).hasSize(1);
        // The LF that completes the CRLF arrives in the next chunk and must not end another line.
        p.feed("\ndata: b\n".getBytes(StandardCharsets.UTF_8));
        assertThat(out).hasSize(1);
    }

    @Test
    void tooLongLineThrows() {
        SseParser p = new SseParser(e -> { }, 16);
        assertThatThrownBy(() -> p.feed(("data: " + "x".repeat(20)).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SseFormatException.class).hasMessageContaining("16");
    }

    /**
     * Chunk-boundary independence: a stream with every feature (CRLF, CR, comments, multi-line
     * data, multi-byte UTF-8, base64) cut at random points by a seeded splitter parses to exactly
     * the events of the unsplit stream.
     */
    @Test
    void fuzzRandomChunkBoundariesGiveTheSameEvents() {
        Random gen = new Random(20240611L);
        for (int round = 0; round < 300; round++) {
            String stream = randomStream(gen);
            byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
            List<SseEvent> expected = parseWhole(stream);
            assertThat(expected).isNotEmpty();
            for (int split = 0; split < 20; split++) {
                List<SseEvent> got = new ArrayList<>();
                SseParser p = new SseParser(got::add);
                int pos = 0;
                while (pos < bytes.length) {
                    int n = gen.nextInt(4) == 0 ? 1 : 1 + gen.nextInt(Math.min(40, bytes.length - pos));
                    n = Math.min(n, bytes.length - pos);
                    p.feed(bytes, pos, n);
                    pos += n;
                }
                p.finish();
                assertThat(got).as("seed round %d split %d of %s", round, split, stream).isEqualTo(expected);
            }
        }
    }

    private static String randomStream(Random gen) {
        String[] eols = {"\n", "\r\n", "\r"};
        String[] payloads = {"{\"choices\":[{\"delta\":{\"content\":\"Hello\"}}]}", "你好，世界。", "naïve café 😀",
                "AAECAwQFBgcICQ==", "[DONE]", "", "a:b:c"};
        StringBuilder sb = new StringBuilder();
        int events = 1 + gen.nextInt(8);
        for (int e = 0; e < events; e++) {
            String eol = eols[gen.nextInt(eols.length)];
            if (gen.nextBoolean()) {
                sb.append(": ping ").append(e).append(eol);
            }
            if (gen.nextInt(3) == 0) {
                sb.append("event: type").append(e).append(eol);
            }
            if (gen.nextInt(4) == 0) {
                sb.append("id: ").append(e).append(eol);
            }
            int lines = 1 + gen.nextInt(3);
            for (int l = 0; l < lines; l++) {
                sb.append(gen.nextBoolean() ? "data: " : "data:").append(payloads[gen.nextInt(payloads.length)]).append(eol);
            }
            sb.append(eols[gen.nextInt(eols.length)]);
        }
        return sb.toString();
    }
}
