package io.voiceagent.agora;

import io.voiceagent.testing.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.agora.internal.NativeLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLoaderTest {

    /** Prints what loading gives in a fresh JVM. */
    public static final class Probe {
        public static void main(String[] args) {
            try {
                System.out.println("LOADED " + AgoraService.nativeLibraryDescription());
            } catch (AgoraNativeUnavailableException e) {
                System.out.println("UNAVAILABLE " + e.getMessage());
                System.out.println("AVAILABLE " + AgoraService.isNativeAvailable());
            }
        }
    }

    @Test
    void defaultIsTheLoopbackLibrary() {
        assertThat(NativeLoader.get().isLoopback()).isTrue();
        assertThat(NativeLoader.get().description()).contains("loopback").contains("4.4.32");
    }

    @Test
    void aRealSdkPathWithoutTheLibraryFailsWithHowToFix(@TempDir Path empty) throws Exception {
        ChildJvm.Result r = ChildJvm.await(ChildJvm.start(List.of("-Dagora.native.library=" + empty), Probe.class),
                Duration.ofSeconds(30));
        assertThat(r.exitCode()).isZero();
        assertThat(r.output()).contains("UNAVAILABLE", "does not contain libagora_rtc_sdk.so",
                "scripts/install-agora-sdk.sh", "AGORA_SDK_HOME", "AVAILABLE false");
    }

    @Test
    void aRealSdkOfAnotherBuildIsRefusedBeforeItIsLoaded(@TempDir Path sdk) throws Exception {
        Path engine = fakeEngine(sdk);
        ChildJvm.Result r = ChildJvm.await(ChildJvm.start(List.of("-Dagora.native.library=" + sdk), Probe.class),
                Duration.ofSeconds(30));
        assertThat(r.exitCode()).isZero();
        assertThat(r.output()).contains("UNAVAILABLE", "AVAILABLE false",
                "4.4.32 (build 20250425, md5 0d6c96bbebdd9b0a84b9cdf01ba6aa7f)",
                "md5 " + md5(engine) + " at " + engine.toAbsolutePath(),
                "-Dagora.native.allowUnpinnedBuild=true");
        // Refused before loading anything: loading starts by preloading the engine's dependencies.
        assertThat(r.output()).doesNotContain("libagora-fdkaac.so not found next to");
    }

    @Test
    void theOverridePropertyLetsAnotherBuildPastTheCheck(@TempDir Path sdk) throws Exception {
        Path engine = fakeEngine(sdk);
        ChildJvm.Result r = ChildJvm.await(ChildJvm.start(List.of("-Dagora.native.library=" + sdk,
                "-Dagora.native.allowUnpinnedBuild=true"), Probe.class), Duration.ofSeconds(30));
        assertThat(r.exitCode()).isZero();
        assertThat(r.output()).contains("WARN", "Loading the build with md5 " + md5(engine),
                "pinned to Agora SDK 4.4.32 (build 20250425, md5 0d6c96bbebdd9b0a84b9cdf01ba6aa7f)");
        // It went on to load: the dependencies were looked for, then dlopen failed on the fake file.
        assertThat(r.output()).contains("libagora-fdkaac.so not found next to", "UNAVAILABLE", "AVAILABLE false")
                .doesNotContain("refusing to load");
    }

    /** A libagora_rtc_sdk.so that is not the pinned build (not even a shared library). */
    private static Path fakeEngine(Path dir) throws Exception {
        return Files.writeString(dir.resolve("libagora_rtc_sdk.so"), "not Agora's 4.4.32 engine\n");
    }

    private static String md5(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                .digest(Files.readAllBytes(file)));
    }

    @Test
    void theSdkFolderMayBeTheZipRootOrItsAgoraSdkFolder(@TempDir Path root) throws Exception {
        Path sdk = Files.createDirectories(root.resolve("agora_sdk"));
        Path engine = Files.createFile(sdk.resolve("libagora_rtc_sdk.so"));
        assertThat(resolve(root)).isEqualTo(engine.toAbsolutePath());
        assertThat(resolve(sdk)).isEqualTo(engine.toAbsolutePath());
        assertThat(resolve(engine)).isEqualTo(engine.toAbsolutePath());
        assertThat(resolve(root.resolve("missing"))).isNull();
    }

    private static Path resolve(Path p) throws Exception {
        java.lang.reflect.Method m = NativeLoader.class.getDeclaredMethod("resolveEngine", Path.class);
        m.setAccessible(true);
        @SuppressWarnings("unchecked")
        java.util.Optional<Path> r = (java.util.Optional<Path>) m.invoke(null, p);
        return r.orElse(null);
    }
}
