package io.voiceagent.examples.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceagent.server.api.AgentApiHandler;
import io.voiceagent.server.cluster.RedisServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cluster on this machine for tests and benchmarks: one {@link RedisServerProcess} and worker
 * processes running {@code agent server --redis ...}, each on a free port with its output in a log
 * file, plus a small client of their REST API. Workers are killed with SIGKILL
 * ({@link Process#destroyForcibly()}) to simulate a crash.
 */
final class ClusterHarness implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("agent server listening on (http://[0-9.:]+)");
    static final ObjectMapper JSON = new ObjectMapper();

    /** One worker process. */
    static final class Worker {
        final String nodeId;
        final int capacity;
        final Process process;
        final Path log;
        volatile URI uri;

        Worker(String nodeId, int capacity, Process process, Path log) {
            this.nodeId = nodeId;
            this.capacity = capacity;
            this.process = process;
            this.log = log;
        }

        long pid() {
            return process.pid();
        }

        boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public String toString() {
            return nodeId + "(pid " + process.pid() + ")";
        }
    }

    /** An API response. */
    record Reply(int status, JsonNode json, String body) {
        String text(String field) {
            JsonNode n = json == null ? null : json.get(field);
            return n == null ? null : n.asText();
        }
    }

    private final Path dir;
    private final String appId;
    private final Function<List<String>, List<String>> command;
    private final RedisServerProcess redis;
    private final List<Worker> workers = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param command the command line of {@code agent <args>} in a new JVM (the caller's class path)
     */
    ClusterHarness(Path dir, String appId, Function<List<String>, List<String>> command) throws IOException {
        this.dir = dir;
        this.appId = appId;
        this.command = command;
        this.redis = RedisServerProcess.start(dir.resolve("redis"));
    }

    RedisServerProcess redis() {
        return redis;
    }

    String base() {
        return AgentApiHandler.BASE + "/" + appId;
    }

    /** Starts a worker (not waiting for it: see {@link #awaitReady}). */
    Worker start(String nodeId, int capacity) throws IOException {
        Path log = dir.resolve(nodeId + ".log");
        List<String> cmd = command.apply(List.of("server", "--port", "0", "--redis", redis.uri(), "--capacity",
                Integer.toString(capacity), "--node-id", nodeId, "--drain-seconds", "0", "--app-id", appId));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Worker w = new Worker(nodeId, capacity, p, log);
        workers.add(w);
        return w;
    }

    /** Waits until the worker printed its address (at most {@code timeout}). */
    void awaitReady(Worker w, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!w.process.isAlive()) {
                throw new IOException("worker " + w + " exited with " + w.process.exitValue() + ":\n" + tail(w, 40));
            }
            Matcher m = LISTENING.matcher(Files.readString(w.log));
            if (m.find()) {
                w.uri = URI.create(m.group(1));
                return;
            }
            Thread.sleep(50);
        }
        throw new IOException("worker " + w + " not ready within " + timeout + ":\n" + tail(w, 40));
    }

    /** The last {@code lines} lines of a worker's log. */
    String tail(Worker w, int lines) {
        try {
            List<String> all = Files.readAllLines(w.log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    List<Worker> alive() {
        return workers.stream().filter(Worker::isAlive).toList();
    }

    /** SIGKILL: the worker dies at once, without leaving its channels or telling Redis. */
    void kill(Worker w) throws InterruptedException {
        w.process.destroyForcibly();
        w.process.waitFor(10, TimeUnit.SECONDS);
        workers.remove(w);
    }

    /** A join body: an audio LLM at {@code llm}, idle timeout off. */
    static ObjectNode joinBody(String name, String channel, String agentUid, URI llm) {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", name);
        ObjectNode p = body.putObject("properties");
        p.put("channel", channel);
        p.put("token", "");
        p.put("agent_rtc_uid", agentUid);
        p.putArray("remote_rtc_uids").add("*");
        p.put("idle_timeout", 0);
        ObjectNode l = p.putObject("llm");
        l.put("url", llm.toString());
        l.put("api_key", "local-llm"); // the local audio-modalities server wants a bearer, any will do
        l.putArray("output_modalities").add("audio");
        return body;
    }

    Reply post(Worker w, String path, String body) throws IOException, InterruptedException {
        return send(w, HttpRequest.newBuilder(w.uri.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Reply get(Worker w, String path) throws IOException, InterruptedException {
        return send(w, HttpRequest.newBuilder(w.uri.resolve(path)).GET());
    }

    private Reply send(Worker w, HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        try {
            json = JSON.readTree(r.body());
        } catch (IOException notJson) {
            // metrics
        }
        return new Reply(r.statusCode(), json, r.body());
    }

    /** Agent id -> the live workers whose sessions run it (from each worker's {@code GET /node}). */
    Map<String, List<String>> runningWhere() throws IOException, InterruptedException {
        Map<String, List<String>> where = new HashMap<>();
        for (Worker w : alive()) {
            for (JsonNode id : get(w, "/node").json().get("agents")) {
                where.computeIfAbsent(id.asText(), k -> new ArrayList<>()).add(w.nodeId);
            }
        }
        return where;
    }

    /** The sum of a counter (no labels) over the live workers' {@code /metrics}. */
    double metricSum(String name) throws IOException, InterruptedException {
        double sum = 0;
        Pattern p = Pattern.compile("^" + Pattern.quote(name) + " ([0-9.eE+-]+)$", Pattern.MULTILINE);
        for (Worker w : alive()) {
            Matcher m = p.matcher(get(w, "/metrics").body());
            if (m.find()) {
                sum += Double.parseDouble(m.group(1));
            }
        }
        return sum;
    }

    /** Stops the workers (SIGTERM, then SIGKILL after 15 s) and Redis. */
    @Override
    public void close() {
        for (Worker w : workers) {
            w.process.destroy();
        }
        for (Worker w : workers) {
            try {
                if (!w.process.waitFor(15, TimeUnit.SECONDS)) {
                    w.process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                w.process.destroyForcibly();
            }
        }
        workers.clear();
        redis.close();
    }
}
