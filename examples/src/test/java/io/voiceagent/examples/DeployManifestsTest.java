package io.voiceagent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.AgoraServiceConfig;
import io.voiceagent.server.api.AgentServer;
import io.voiceagent.server.api.ApiAuth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The Kubernetes manifests in {@code deploy/k8s} cannot be applied here (no cluster), so this checks what
 * they rely on against the code: the worker's container arguments parse as an {@code AgentCli} command
 * line, and the probe paths, the scraped metrics path, the HPA's metric and the preStop drain call are
 * answered by a running agent server as the manifests expect.
 */
class DeployManifestsTest {
    private static final Path K8S = Path.of("..", "deploy", "k8s");

    private static String manifest(String name) throws Exception {
        return Files.readString(K8S.resolve(name));
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(text);
        assertThat(m.find()).as("manifest has %s", regex).isTrue();
        return m.group(1);
    }

    @Test
    void theWorkersArgumentsAreAValidServerCommandLine() throws Exception {
        String args = group(manifest("workers.yaml"), "args: \\[(.*?)\\]");
        List<String> list = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(args);
        while (m.find()) {
            list.add(m.group(1));
        }
        assertThat(list).startsWith("server").contains("--redis", "--capacity");
        CommandLine.ParseResult parsed = new CommandLine(new AgentCli()).parseArgs(list.toArray(String[]::new));
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("server");
        assertThat(parsed.subcommand().unmatched()).isEmpty();
    }

    @Test
    void probesMetricsAndTheDrainHookAreAnsweredByTheServer() throws Exception {
        String workers = manifest("workers.yaml");
        String ready = group(workers, "readinessProbe:\\s*httpGet:\\s*path: (\\S+)");
        String live = group(workers, "livenessProbe:\\s*httpGet:\\s*path: (\\S+)");
        String metrics = group(workers, "prometheus.io/path: (\\S+)");
        String drain = group(workers, "'http://127\\.0\\.0\\.1:8080(/[^']+)'");
        String hpaMetric = group(manifest("hpa.yaml"), "metric:\\s*name: (\\S+)");
        assertThat(workers).contains("$AGENT_SERVER_TOKEN");
        String token = "manifest-test-token";
        HttpClient http = HttpClient.newHttpClient();
        try (AgoraService service = AgoraService.create(AgoraServiceConfig.builder()
                        .appId("manifests-" + ProcessHandle.current().pid()).build());
                AgentServer server = AgentServer.builder(service).port(0).capacity(2).auth(ApiAuth.bearer(token))
                        .build().start()) {
            URI base = server.uri();
            assertThat(get(http, base, ready).statusCode()).as(ready).isEqualTo(200);
            assertThat(get(http, base, live).statusCode()).as(live).isEqualTo(200);
            HttpResponse<String> scraped = get(http, base, metrics);
            assertThat(scraped.statusCode()).as(metrics).isEqualTo(200);
            assertThat(scraped.body()).as("the HPA's metric is exported").contains(hpaMetric);
            HttpResponse<String> unauthorized = http.send(HttpRequest.newBuilder(base.resolve(drain))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(unauthorized.statusCode()).as("drain without the token").isEqualTo(401);
            HttpResponse<String> drained = http.send(HttpRequest.newBuilder(base.resolve(drain))
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(drained.statusCode()).as(drained.body()).isEqualTo(200);
            assertThat(get(http, base, ready).statusCode()).as("not ready once drained").isEqualTo(503);
        }
    }

    private static HttpResponse<String> get(HttpClient http, URI base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
