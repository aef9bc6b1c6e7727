package io.voiceagent.core.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TextSegmenterTest {

    private static List<String> feedAll(TextSegmenter s, String... deltas) {
        List<String> out = new ArrayList<>();
        for (String d : deltas) {
            out.addAll(s.append(d));
        }
        out.addAll(s.flush());
        return out;
    }

    @Test
    void cutsLatinSentencesOnlyWhenTheMarkIsFollowedBySpace() {
        TextSegmenter s = new TextSegmenter(new TextSegmenterConfig(4, 100));
        assertThat(s.append("Hello there.")).isEmpty(); // could still be "there.com"
        assertThat(s.append(" How")).containsExactly("Hello there.");
        assertThat(s.append(" are you?\" I")).containsExactly("How are you?\"");
        assertThat(s.flush()).containsExactly("I");
    }

    @Test
    void keepsNumbersTimesAndAbbreviationsWhole() {
        TextSegmenter s = new TextSegmenter(new TextSegmenterConfig(4, 100));
        assertThat(feedAll(s, "Pi is 3.14 and it is 10:30 now. ", "Done"))
                .containsExactly("Pi is 3.14 and it is 10:30 now.", "Done");
    }

    @Test
    void cutsAtTheLastMarkInTheBuffer() {
        TextSegmenter s = new TextSegmenter(new TextSegmenterConfig(4, 100));
        assertThat(s.append("One, two. Three! Four")).containsExactly("One, two. Three!");
    }

    @Test
    void cjkMarksCutImmediatelyWithoutSpaces() {
        TextSegmenter s = new TextSegmenter(new TextSegmenterConfig(2, 100));
        assertThat(s.append("你好，世界。今天")).containsExactly("你好，世界。");
        assertThat(s.append("天气很好！")).containsExactly("今天天气很好！");
        assertThat(s.flush()).isEmpty();
    }

    @Test
    void markBeforeTheMinimumDoesNotCut() {
        TextSegmenter s = new TextSegmenter(new TextSegmenterConfig(10, 100));
        assertThat(s.append("Hi, I am here. ")).containsExactly("Hi, I am here.");
        TextSegmenter s2 = new TextSegmenter(new TextSegmenterConfig(10, 100));
        assertThat(s2.append("Hi, you ")).isEmpty();
        assertThat(s2.flush()).containsExactly("Hi, you");
    }

    @Test
    void longTextWithoutMarksIsCutAtAWordBoundaryWithinTheMaximum() {
        TextSegmenter s = new TextSegmenter(new TextSegmenterConfig(3, 20));
        List<String> pieces = feedAll(s, "the quick brown fox jumps over the lazy dog again and again");
        assertThat(pieces).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(20));
        assertThat(String.join(" ", pieces)).isEqualTo("the quick brown fox jumps over the lazy dog again and again");
        assertThat(pieces.get(0)).isEqualTo("the quick brown fox");
    }

    @Test
    void aWordLongerThanTheMaximumIsNeverSplit() {
        TextSegmenter s = new TextSegmenter(new TextSegmenterConfig(1, 5));
        assertThat(feedAll(s, "supercalifragilistic is long")).containsExactly("supercalifragilistic", "is", "long");
    }

    @Test
    void cjkTextWithoutMarksIsCutBetweenCharacters() {
        TextSegmenter s = new TextSegmenter(new TextSegmenterConfig(1, 4));
        assertThat(feedAll(s, "一二三四五六七八九")).containsExactly("一二三四", "五六七八", "九");
    }

    @Test
    void randomDeltaSplitsGiveTheSameTextAndNoSplitWords() {
        String text = "Sure! The meeting is at 10:30, in room 4.2. 我们明天见，好吗？Then we'll review the "
                + "quarterly numbers (about $3.5 million) and plan next steps... Thanks!";
        Random gen = new Random(7);
        for (int iter = 0; iter < 200; iter++) {
            TextSegmenter s = new TextSegmenter(new TextSegmenterConfig(1 + gen.nextInt(10), 20 + gen.nextInt(40)));
            List<String> out = new ArrayList<>();
            int pos = 0;
            while (pos < text.length()) {
                int n = Math.min(text.length() - pos, 1 + gen.nextInt(8));
                out.addAll(s.append(text.substring(pos, pos + n)));
                pos += n;
            }
            out.addAll(s.flush());
            assertThat(String.join("", out).replace(" ", "")).isEqualTo(text.replace(" ", ""));
            for (String p : out) {
                assertThat(p).isNotBlank().isEqualTo(p.strip());
            }
            // Every Latin word of the text appears whole in one piece.
            for (String word : text.split("[\\s]+")) {
                if (word.chars().allMatch(ch -> ch < 128)) {
                    assertThat(out).as("word %s", word).anyMatch(p -> p.contains(word));
                }
            }
        }
    }

    @Test
    void configNamesBadParameter() {
        assertThatThrownBy(() -> new TextSegmenterConfig(0, 10)).hasMessageContaining("minChars").hasMessageContaining("0");
        assertThatThrownBy(() -> TextSegmenterConfig.builder().minChars(10).maxChars(5).build())
                .hasMessageContaining("maxChars").hasMessageContaining("5");
    }
}
