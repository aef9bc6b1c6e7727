package io.voiceagent.core.tts;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Cuts streaming LLM text into pieces sized for text-to-speech: feed the deltas to
 * {@link #append}, send each returned piece to TTS, and call {@link #flush()} when the LLM
 * stream ends.
 *
 * <p><b>Where it cuts.</b> After the last punctuation mark that leaves a piece of at least
 * {@link TextSegmenterConfig#minChars()} and at most {@link TextSegmenterConfig#maxChars()} chars.
 * CJK marks ({@code 。！？；：，、} and full-width forms) and line breaks cut at once; Latin marks
 * ({@code . ! ? ; : , …}) cut only when followed by whitespace, so {@code 3.14}, {@code 10:30} and
 * {@code e.g.x} stay whole and a mark at the end of the buffer waits for the next delta. Closing
 * quotes and brackets after a mark stay with the piece. Text that grows past the maximum without a
 * mark is cut at the last word boundary (whitespace, or next to a Han/kana character); a word is
 * never split, even if it alone exceeds the maximum. Pieces are trimmed and never empty.
 *
 * <p>Not thread-safe: one segmenter per LLM stream, fed by one thread at a time.
 */
public final class TextSegmenter {

    private static final String IMMEDIATE = "。！？；：，、｡．\n"; // CJK and full-width marks, line break
    private static final String LATIN = ".!?;:,…";
    private static final String CLOSERS = "\"')]}”’」』）】》〉";

    private final TextSegmenterConfig config;
    private final StringBuilder buf = new StringBuilder();

    public TextSegmenter(TextSegmenterConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public TextSegmenter() {
        this(TextSegmenterConfig.defaults());
    }

    /**
     * Adds streamed text and returns the pieces it completes (often none).
     *
     * @return the complete pieces in order; a new, possibly empty list
     */
    public List<String> append(CharSequence delta) {
        buf.append(delta);
        List<String> out = new ArrayList<>();
        cut(out, false);
        return out;
    }

    /** Ends the stream: returns what remains as pieces (the last may be shorter than the minimum). */
    public List<String> flush() {
        List<String> out = new ArrayList<>();
        cut(out, true);
        String rest = buf.toString().strip();
        if (!rest.isEmpty()) {
            out.add(rest);
        }
        buf.setLength(0);
        return out;
    }

    /** Drops buffered text (for example when the round is interrupted). */
    public void reset() {
        buf.setLength(0);
    }

    /** Chars buffered and not yet returned. */
    public int pendingChars() {
        return buf.length();
    }

    private void cut(List<String> out, boolean endOfStream) {
        while (true) {
            stripLeading();
            if (buf.length() == 0) {
                return;
            }
            int c = lastPunctuationCut(endOfStream);
            if (c < 0 && buf.length() > config.maxChars()) {
                c = wordCut();
            }
            if (c <= 0) {
                return;
            }
            String piece = buf.substring(0, c).strip();
            buf.delete(0, c);
            if (!piece.isEmpty()) {
                out.add(piece);
            }
        }
    }

    private void stripLeading() {
        int i = 0;
        while (i < buf.length() && Character.isWhitespace(buf.charAt(i))) {
            i++;
        }
        buf.delete(0, i);
    }

    /** The end index of the best punctuation cut, or -1. */
    private int lastPunctuationCut(boolean endOfStream) {
        int best = -1;
        int limit = Math.min(buf.length(), config.maxChars());
        for (int i = 0; i < limit; i++) {
            char ch = buf.charAt(i);
            boolean immediate = IMMEDIATE.indexOf(ch) >= 0;
            boolean latin = !immediate && LATIN.indexOf(ch) >= 0;
            if (!immediate && !latin) {
                continue;
            }
            int end = i + 1;
            while (end < buf.length() && CLOSERS.indexOf(buf.charAt(end)) >= 0) {
                end++;
            }
            if (latin) {
                boolean followedBySpace = end < buf.length() && Character.isWhitespace(buf.charAt(end));
                if (!followedBySpace && !(endOfStream && end == buf.length())) {
                    continue;
                }
            }
            if (end > config.maxChars()) {
                break;
            }
            if (end >= config.minChars()) {
                best = end;
            }
        }
        return best;
    }

    /** A cut at the last word boundary at or before maxChars, else the first one after it, else -1. */
    private int wordCut() {
        int max = config.maxChars();
        int fallback = -1;
        for (int c = Math.min(max, buf.length() - 1); c > 0; c--) {
            if (isWordBoundary(c)) {
                if (c >= config.minChars()) {
                    return c;
                }
                if (fallback < 0) {
                    fallback = c;
                }
            }
        }
        if (fallback > 0) {
            return fallback;
        }
        for (int c = max + 1; c < buf.length(); c++) {
            if (isWordBoundary(c)) {
                return c;
            }
        }
        return -1;
    }

    private boolean isWordBoundary(int c) {
        char after = buf.charAt(c);
        char before = buf.charAt(c - 1);
        if (Character.isLowSurrogate(after) && Character.isHighSurrogate(before)) {
            return false;
        }
        if (Character.isWhitespace(after) || Character.isWhitespace(before)) {
            return true;
        }
        return isCjk(Character.codePointBefore(buf, c)) || isCjk(Character.codePointAt(buf, c));
    }

    static boolean isCjk(int cp) {
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        if (s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
                || s == Character.UnicodeScript.KATAKANA) {
            return true;
        }
        Character.UnicodeBlock b = Character.UnicodeBlock.of(cp);
        return b == Character.UnicodeBlock.CJK_SYMBOLS_AND_PUNCTUATION
                || b == Character.UnicodeBlock.HALFWIDTH_AND_FULLWIDTH_FORMS;
    }
}
