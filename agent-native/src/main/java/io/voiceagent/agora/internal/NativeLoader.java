package io.voiceagent.agora.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import io.voiceagent.agora.AgoraNativeUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides once per process which native library implements the Agora C API, loads it, and keeps
 * either the loaded library or the cause of the failure (so every later use fails with the same
 * clear message instead of a fresh {@link UnsatisfiedLinkError}).
 *
 * <p>Selection, first match wins:
 * <ol>
 *   <li>system property {@value #LIBRARY_PROPERTY}: {@code loopback}, or a path to the real SDK's
 *       folder or to its {@code libagora_rtc_sdk.so};</li>
 *   <li>environment variable {@value #SDK_HOME_ENV}: the real SDK's folder (the one holding
 *       {@code libagora_rtc_sdk.so}, or its parent holding {@code agora_sdk/});</li>
 *   <li>otherwise the loopback library built into this jar.</li>
 * </ol>
 * For the real SDK its dependencies {@code libagora-fdkaac.so} and {@code libaosl.so} are loaded
 * first by absolute path, so the engine's own dependencies resolve without {@code LD_LIBRARY_PATH}.
 *
 * <p>Before anything of the real SDK is loaded, the md5 of its {@code libagora_rtc_sdk.so} must be
 * the pinned build's ({@value #PINNED_VERSION}, build {@value #PINNED_BUILD_DATE}; the md5 Agora's
 * Python SDK checks): struct layouts differ between native builds and this binding reads the
 * pinned one's, so another build could read wrong values or crash the JVM. Another build is
 * refused unless {@value #ALLOW_UNPINNED_PROPERTY} is {@code true}, which loads it with a warning.
 * The embedded loopback library is not checked.
 */
public final class NativeLoader {
    private static final Logger log = LoggerFactory.getLogger(NativeLoader.class);

    /** System property that selects the native library. */
    public static final String LIBRARY_PROPERTY = "agora.native.library";
    /** Environment variable naming the real SDK's folder. */
    public static final String SDK_HOME_ENV = "AGORA_SDK_HOME";
    /** The value of {@value #LIBRARY_PROPERTY} that selects the embedded loopback library. */
    public static final String LOOPBACK = "loopback";
    /** System property that, set to {@code true}, lets a real SDK other than the pinned build load. */
    public static final String ALLOW_UNPINNED_PROPERTY = "agora.native.allowUnpinnedBuild";
    /** The native SDK version and build this binding's layouts are written for. */
    public static final String PINNED_VERSION = "4.4.32";
    public static final String PINNED_BUILD_DATE = "20250425";
    /** md5 of the pinned build's {@code libagora_rtc_sdk.so} per {@code os.arch}, as Agora's Python SDK checks it. */
    static final Map<String, String> PINNED_MD5 = Map.of(
            "amd64", "0d6c96bbebdd9b0a84b9cdf01ba6aa7f",
            "x86_64", "0d6c96bbebdd9b0a84b9cdf01ba6aa7f",
            "aarch64", "a217a8ed32c964843b120006511121cf");

    static final String ENGINE = "libagora_rtc_sdk.so";
    static final String[] PRELOADED_DEPENDENCIES = {"libagora-fdkaac.so", "libaosl.so"};
    static final String LOOPBACK_RESOURCE = "/io/voiceagent/agora/loopback/linux-x86-64/" + ENGINE;

    static final String HOW_TO_FIX = "To use the real Agora SDK run scripts/install-agora-sdk.sh on a machine with"
            + " internet access and set " + SDK_HOME_ENV + "=<its agora_sdk folder> (or -D" + LIBRARY_PROPERTY
            + "=<folder>); to use the embedded loopback library (no Agora account needed) unset both or pass -D"
            + LIBRARY_PROPERTY + "=" + LOOPBACK + " and build with gcc available (mvn -B verify builds it).";

    /** What was loaded. Immutable. */
    public record Loaded(AgoraLibrary agora, Optional<LoopbackLibrary> loopback, Path path, String description) {
        public boolean isLoopback() {
            return loopback.isPresent();
        }
    }

    private static final Object LOCK = new Object();
    // Guarded by LOCK; written once.
    private static Loaded loaded;
    // Guarded by LOCK; written once.
    private static RuntimeException failure;

    private NativeLoader() {}

    /**
     * Returns the loaded library, loading it on first call.
     *
     * @throws AgoraNativeUnavailableException with the original cause and how to fix it
     */
    public static Loaded get() {
        synchronized (LOCK) {
            if (loaded != null) {
                return loaded;
            }
            if (failure != null) {
                throw failure;
            }
            try {
                loaded = load();
                log.info("Agora C API: {}", loaded.description());
                return loaded;
            } catch (RuntimeException | LinkageError e) {
                failure = new AgoraNativeUnavailableException(
                        "The Agora native library could not be loaded: " + e.getMessage() + ". " + HOW_TO_FIX, e);
                throw failure;
            }
        }
    }

    /** Whether a library is (or can be) loaded; never throws. */
    public static boolean isAvailable() {
        try {
            get();
            return true;
        } catch (AgoraNativeUnavailableException e) {
            return false;
        }
    }

    /** The cause of a failed load, if loading was attempted and failed. */
    public static Optional<RuntimeException> failureCause() {
        synchronized (LOCK) {
            return Optional.ofNullable(failure);
        }
    }

    private static Loaded load() {
        String property = System.getProperty(LIBRARY_PROPERTY);
        if (property != null && !property.isBlank()) {
            return property.trim().equals(LOOPBACK) ? loadLoopback() : loadRealSdk(Paths.get(property.trim()),
                    "-D" + LIBRARY_PROPERTY);
        }
        String home = System.getenv(SDK_HOME_ENV);
        if (home != null && !home.isBlank()) {
            return loadRealSdk(Paths.get(home.trim()), SDK_HOME_ENV);
        }
        log.info("No real Agora SDK configured ({} unset): using the embedded loopback library, which moves audio"
                + " only between participants on this machine. {}", SDK_HOME_ENV, HOW_TO_FIX);
        return loadLoopback();
    }

    private static Map<String, Object> options() {
        return Map.of(Library.OPTION_STRING_ENCODING, "UTF-8");
    }

    private static Loaded loadRealSdk(Path configured, String source) {
        Path engine = resolveEngine(configured).orElseThrow(() -> new IllegalStateException(source + " = "
                + configured + " does not contain " + ENGINE + " (looked in it and in its agora_sdk/ subfolder)"));
        String md5 = checkPinnedBuild(engine);
        Path folder = engine.getParent();
        for (String dep : PRELOADED_DEPENDENCIES) {
            Path p = folder.resolve(dep);
            if (Files.isRegularFile(p)) {
                NativeLibrary.getInstance(p.toString());
            } else {
                log.warn("{} not found next to {}; the engine may fail to resolve it", dep, engine);
            }
        }
        AgoraLibrary agora = Native.load(engine.toString(), AgoraLibrary.class, options());
        return new Loaded(agora, Optional.empty(), engine, "real Agora SDK at " + engine + " (md5 " + md5 + ", from "
                + source + ")");
    }

    /**
     * Refuses an engine that is not the pinned build, unless {@value #ALLOW_UNPINNED_PROPERTY} is
     * {@code true} (then it warns). Reads the file only; loads nothing. Returns the engine's md5.
     */
    private static String checkPinnedBuild(Path engine) {
        String arch = System.getProperty("os.arch");
        String expected = PINNED_MD5.get(arch);
        String actual = md5(engine);
        if (actual.equals(expected)) {
            return actual;
        }
        String pinned = expected == null
                ? PINNED_VERSION + " (build " + PINNED_BUILD_DATE + "), which has no pinned md5 for os.arch " + arch
                : PINNED_VERSION + " (build " + PINNED_BUILD_DATE + ", md5 " + expected + ")";
        String found = "the build with md5 " + actual + " at " + engine;
        if (Boolean.getBoolean(ALLOW_UNPINNED_PROPERTY)) {
            log.warn("Loading {} although this binding is pinned to Agora SDK {} (-D{}=true): struct layouts may"
                    + " differ and read wrong values or crash", found, pinned, ALLOW_UNPINNED_PROPERTY);
            return actual;
        }
        throw new IllegalStateException("refusing to load " + found + ": this binding reads the struct layouts of"
                + " Agora SDK " + pinned + " only, and another build may read wrong values or crash the JVM. Install"
                + " the pinned build with scripts/install-agora-sdk.sh, or pass -D" + ALLOW_UNPINNED_PROPERTY
                + "=true to load this one anyway");
    }

    static String md5(Path file) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5 digest", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                digest.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + " to check its md5", e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static Optional<Path> resolveEngine(Path configured) {
        if (Files.isRegularFile(configured)) {
            return Optional.of(configured.toAbsolutePath());
        }
        for (Path candidate : new Path[] {configured.resolve(ENGINE), configured.resolve("agora_sdk").resolve(ENGINE)}) {
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    private static Loaded loadLoopback() {
        Path path = loopbackPath();
        AgoraLibrary agora = Native.load(path.toString(), AgoraLibrary.class, options());
        LoopbackLibrary loopback = Native.load(path.toString(), LoopbackLibrary.class, options());
        if (loopback.loopback_is_loopback() != 1) {
            throw new IllegalStateException(path + " is not the loopback library");
        }
        return new Loaded(agora, Optional.of(loopback), path, "embedded loopback library " + loopback.loopback_version()
                + " at " + path);
    }

    private static Path loopbackPath() {
        URL url = NativeLoader.class.getResource(LOOPBACK_RESOURCE);
        if (url == null) {
            throw new IllegalStateException("the loopback library is not on the class path (resource "
                    + LOOPBACK_RESOURCE + " missing; was the jar built without gcc?)");
        }
        if ("file".equals(url.getProtocol())) {
            try {
                return Paths.get(url.toURI());
            } catch (URISyntaxException e) {
                throw new IllegalStateException("bad loopback resource URL " + url, e);
            }
        }
        try (InputStream in = url.openStream()) {
            Path dir = Files.createTempDirectory("agora-loopback-");
            Path file = dir.resolve(ENGINE);
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("could not extract the loopback library from " + url, e);
        }
    }
}
