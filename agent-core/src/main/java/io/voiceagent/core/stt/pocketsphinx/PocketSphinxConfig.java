package io.voiceagent.core.stt.pocketsphinx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of a {@link PocketSphinxStt}: the model files, how often partial hypotheses are
 * read, and how many decoders (each a full copy of the model's search state, about 20-40 MB) may
 * exist at once. Immutable; built by {@link #builder()}, which validates every value.
 *
 * @param acousticModel the acoustic model folder ({@code -hmm})
 * @param languageModel the n-gram language model ({@code -lm})
 * @param dictionary the pronunciation dictionary ({@code -dict})
 * @param partialInterval audio between two readings of the partial hypothesis (10..300 ms)
 * @param maxDecoders decoders that may exist at once (1..256): utterances beyond that wait for one
 */
public record PocketSphinxConfig(Path acousticModel, Path languageModel, Path dictionary, Duration partialInterval,
        int maxDecoders) {

    /** Where Debian's {@code pocketsphinx-en-us} installs the US English model. */
    public static final Path DEBIAN_EN_US = Path.of("/usr/share/pocketsphinx/model/en-us");

    public PocketSphinxConfig {
        Objects.requireNonNull(acousticModel, "acousticModel");
        Objects.requireNonNull(languageModel, "languageModel");
        Objects.requireNonNull(dictionary, "dictionary");
        Objects.requireNonNull(partialInterval, "partialInterval");
        if (partialInterval.toMillis() < 10 || partialInterval.toMillis() > 300) {
            throw new IllegalArgumentException("partialInterval must be in 10..300 ms; got " + partialInterval.toMillis()
                    + " ms");
        }
        if (maxDecoders < 1 || maxDecoders > 256) {
            throw new IllegalArgumentException("maxDecoders must be in 1..256; got " + maxDecoders);
        }
    }

    /** Debian's US English model, partials every 200 ms, one decoder per core. */
    public static PocketSphinxConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Throws naming the file if a model file is missing, with the package that installs it. */
    void checkFiles() {
        check("acousticModel", acousticModel.resolve("mdef"));
        check("languageModel", languageModel);
        check("dictionary", dictionary);
    }

    private static void check(String parameter, Path p) {
        if (!Files.isReadable(p)) {
            throw new IllegalStateException(parameter + ": " + p + " is missing; install the model with 'apt-get install "
                    + "pocketsphinx-en-us' (scripts/install-deps.sh does) or point the config at your model");
        }
    }

    /** Builder of a {@link PocketSphinxConfig}; not thread-safe. */
    public static final class Builder {
        private Path modelDir = DEBIAN_EN_US;
        private Path acousticModel;
        private Path languageModel;
        private Path dictionary;
        private Duration partialInterval = Duration.ofMillis(200);
        private int maxDecoders = Runtime.getRuntime().availableProcessors();

        private Builder() {
        }

        /**
         * A folder laid out as Debian's model package: {@code en-us/} (acoustic model),
         * {@code en-us.lm.bin}, {@code cmudict-en-us.dict}. Default {@link #DEBIAN_EN_US}.
         */
        public Builder modelDir(Path dir) {
            this.modelDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        public Builder acousticModel(Path p) {
            this.acousticModel = p;
            return this;
        }

        public Builder languageModel(Path p) {
            this.languageModel = p;
            return this;
        }

        public Builder dictionary(Path p) {
            this.dictionary = p;
            return this;
        }

        /** Audio between two readings of the partial hypothesis (default 200 ms). */
        public Builder partialInterval(Duration d) {
            this.partialInterval = Objects.requireNonNull(d, "partialInterval");
            return this;
        }

        /** Decoders that may exist at once (default: the number of cores). */
        public Builder maxDecoders(int n) {
            this.maxDecoders = n;
            return this;
        }

        public PocketSphinxConfig build() {
            return new PocketSphinxConfig(acousticModel != null ? acousticModel : modelDir.resolve("en-us"),
                    languageModel != null ? languageModel : modelDir.resolve("en-us.lm.bin"),
                    dictionary != null ? dictionary : modelDir.resolve("cmudict-en-us.dict"), partialInterval,
                    maxDecoders);
        }
    }
}
