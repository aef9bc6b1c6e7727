package io.voiceagent.core.vad;

import io.voiceagent.core.audio.PcmFormat;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * How a per-user VAD runs (an agent session's turn detection, or a connection's
 * {@code LocalUser.enableVad}): one {@link VadDetector} per remote user, built by
 * {@link #newDetector}. Immutable.
 *
 * @param config the VAD V2 parameters
 * @param batcher a process-wide batcher to score many users' windows per ONNX call (recommended
 *     beyond a few dozen users; its owner closes it), or empty for inference on the connection's
 *     executor thread
 * @param model the probability model when no batcher is given (default: the shared Silero v6.2 session)
 * @param energyGating skip inference on quiet windows (off by default; see BENCHMARKS.md)
 * @param dumpDir where to write a {@code VadDump} per user (debugging only), or empty
 */
public record VadOptions(VadV2Config config, Optional<VadBatcher> batcher, VoiceProbabilityModel model,
        boolean energyGating, Optional<Path> dumpDir) {

    public VadOptions {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(batcher, "batcher");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(dumpDir, "dumpDir");
    }

    /** Default config, direct inference on the shared Silero session, no gating, no dump. */
    public static VadOptions defaults() {
        return new VadOptions(VadV2Config.DEFAULT, Optional.empty(), SileroVad.shared(), false, Optional.empty());
    }

    public VadOptions withConfig(VadV2Config c) {
        return new VadOptions(c, batcher, model, energyGating, dumpDir);
    }

    public VadOptions withBatcher(VadBatcher b) {
        return new VadOptions(config, Optional.of(b), b.model(), energyGating, dumpDir);
    }

    public VadOptions withEnergyGating(boolean on) {
        return new VadOptions(config, batcher, model, on, dumpDir);
    }

    public VadOptions withDumpDir(Path dir) {
        return new VadOptions(config, batcher, model, energyGating, Optional.of(dir));
    }

    /**
     * A detector for one user's stream in {@code format}, configured by these options.
     *
     * @param streamName names the stream's dump folder (made file-name safe) when a dump dir is set
     * @param callbackExecutor where results are delivered in batched mode (the stream's owner thread);
     *     in direct mode they are delivered during {@code process} on the caller's thread
     */
    public VadDetector newDetector(PcmFormat format, String streamName, VadListener listener,
            Executor callbackExecutor) {
        VadDetector.Builder b = VadDetector.builder(format)
                .config(config)
                .listener(listener)
                .callbackExecutor(callbackExecutor)
                .energyGating(energyGating);
        if (batcher.isPresent()) {
            b.batcher(batcher.get());
        } else {
            b.model(model);
        }
        dumpDir.ifPresent(dir -> b.dump(new VadDump(dir.resolve(streamName.replaceAll("[^A-Za-z0-9._-]", "_")))));
        return b.build();
    }
}
