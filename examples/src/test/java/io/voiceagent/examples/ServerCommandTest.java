package io.voiceagent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code scripts/agent server}: credentials from a file, SIGTERM drains and exits 0, bad options exit 2. */
class ServerCommandTest {
    @TempDir
    Path dir;

    @Test
    void servesWithTheAuthFileAndDrainsOnSigtermToExitZero() throws Exception {
        Path auth = Files.writeString(dir.resolve("auth"), "# test credentials\nbearer file-token-123\n");
        Process p = Jvm.agent("server", "--port", "0", "--capacity", "1", "--auth-file", auth.toString(),
                "--drain-seconds", "1", "--host", "127.0.0.1");
        try {
            String before = Jvm.readUntil(p, "agent server listening on");
            Matcher m = Pattern.compile("listening on (http://[0-9.:]+) \\(one process, 1 slots, auth on\\)")
                    .matcher(before);
            assertThat(m.find()).as(before).isTrue();
            HttpClient http = HttpClient.newHttpClient();
            URI agents = URI.create(m.group(1) + "/api/conversational-ai-agent/v2/projects/loopback-demo/agents");
            assertThat(http.send(HttpRequest.newBuilder(agents).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(401);
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(agents)
                    .header("Authorization", "Bearer file-token-123").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("\"total\":0");
            assertThat(before).doesNotContain("file-token-123");
            new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).inheritIO().start().waitFor();
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("exited after the drain").isTrue();
            String after = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("exit status; output:\n%s", after).isZero();
            assertThat(after).contains("draining for up to 1 s", "stopped").doesNotContain("file-token-123");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void badOptionsNameTheOptionAndExitTwo() throws Exception {
        Jvm.Run capacity = Jvm.run("server", "--capacity", "-1");
        assertThat(capacity.exitCode()).isEqualTo(2);
        assertThat(capacity.err()).contains("--capacity", "'-1'", "0..10000");
        Jvm.Run apiOnly = Jvm.run("server", "--capacity", "0");
        assertThat(apiOnly.exitCode()).isEqualTo(2);
        assertThat(apiOnly.err()).contains("--capacity", "--redis");
        Jvm.Run redis = Jvm.run("server", "--redis", "http://user:hunter2@127.0.0.1:6379");
        assertThat(redis.exitCode()).isEqualTo(2);
        assertThat(redis.err()).contains("--redis", "redis://").doesNotContain("hunter2");
        Path empty = Files.writeString(dir.resolve("empty"), "# nothing\n");
        Jvm.Run auth = Jvm.run("server", "--auth-file", empty.toString());
        assertThat(auth.exitCode()).isEqualTo(2);
        assertThat(auth.err()).contains("--auth-file", "no credential");
    }
}
