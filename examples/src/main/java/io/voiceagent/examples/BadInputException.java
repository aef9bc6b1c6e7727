package io.voiceagent.examples;

import io.voiceagent.core.audio.PcmFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A command's input is wrong in a way picocli's parser cannot see: a missing or unreadable input
 * file, an out-of-range value, options that do not work together. The CLI reports it like a parse
 * error ({@link CliErrors}): one line on stderr, exit status 2. Messages name the option and the
 * value. The static checks below throw it; commands call them before they start any work.
 */
public final class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** As "Invalid value for option '--file': 'a.pcm' is not a readable file". */
    public BadInputException(String option, Object value, String problem) {
        super("Invalid value for option '" + option + "': '" + value + "' " + problem);
    }

    /** A message that names the option itself (e.g. a missing one). */
    public BadInputException(String message) {
        super(message);
    }

    /** Returns {@code file} if it is a readable regular file. */
    public static Path readableFile(String option, Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new BadInputException(option, file, "is not a readable file");
        }
        return file;
    }

    /** Returns {@code value} if it is at least {@code min}. */
    public static <T extends Comparable<T>> T atLeast(String option, T value, T min) {
        if (value.compareTo(min) < 0) {
            throw new BadInputException(option, value, "must be >= " + min);
        }
        return value;
    }

    /**
     * Returns what {@code parse} returns; its {@link IllegalArgumentException} (a library
     * validator's, which names the library's parameter) becomes a bad value of {@code option}.
     */
    public static <T> T parse(String option, Object value, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new BadInputException(option, value, "is not valid: " + e.getMessage());
        }
    }

    /** The format of a {@code --sample-rate} and {@code --channels} pair, each checked by its name. */
    public static PcmFormat pcmFormat(int sampleRateHz, int channels) {
        if (!PcmFormat.isSupportedRate(sampleRateHz)) {
            throw new BadInputException("--sample-rate", sampleRateHz, "is not supported: use one of "
                    + Arrays.stream(PcmFormat.SUPPORTED_RATES_HZ).mapToObj(Integer::toString)
                            .collect(Collectors.joining(", ")));
        }
        if (channels != 1 && channels != 2) {
            throw new BadInputException("--channels", channels, "is not supported: use 1 or 2");
        }
        return PcmFormat.of(sampleRateHz, channels);
    }
}
