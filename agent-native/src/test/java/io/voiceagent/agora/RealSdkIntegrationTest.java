package io.voiceagent.agora;

import io.voiceagent.testing.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link RealSdkScenario} against the real Agora SDK in a child JVM when {@code AGORA_SDK_HOME}
 * and {@code AGORA_APP_ID} (and {@code AGORA_TOKEN} if the app id needs one) are set; otherwise it is
 * reported as skipped with the reason. The rest of the suite always runs on the loopback library.
 */
class RealSdkIntegrationTest {

    @Test
    void bindingWorksAgainstTheRealSdk() throws Exception {
        String home = System.getenv("AGORA_SDK_HOME");
        String appId = System.getenv("AGORA_APP_ID");
        assumeTrue(home != null && !home.isBlank() && appId != null && !appId.isBlank(),
                "real Agora SDK not configured: set AGORA_SDK_HOME and AGORA_APP_ID (and AGORA_TOKEN) to run this check");
        String token = System.getenv().getOrDefault("AGORA_TOKEN", "");
        String channel = System.getenv().getOrDefault("AGORA_CHANNEL", "voiceagent-check");
        ChildJvm.Result r = ChildJvm.await(ChildJvm.start(List.of("-Dagora.native.library=" + home),
                RealSdkScenario.class, appId, token, channel), Duration.ofMinutes(2));
        assertThat(r.exitCode()).as("scenario output:\n%s", r.output()).isZero();
        assertThat(r.output()).contains("OK loaded real Agora SDK", "OK both connected", "OK released");
    }
}
