package io.voiceagent.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceagent.server.EmbeddedServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API on the embedded server (Jetty core handler), in the shape of Agora's Conversational
 * AI Engine under {@value #BASE}:
 *
 * <pre>
 * POST {BASE}/{appid}/join                  body {name, properties}      -> {agent_id, create_ts, status}
 * POST {BASE}/{appid}/agents/{id}/leave                                  -> {agent_id, status}
 * GET  {BASE}/{appid}/agents/{id}                                        -> the agent's record
 * GET  {BASE}/{appid}/agents?state=&amp;channel=&amp;limit=&amp;cursor=&amp;from_time=&amp;to_time=
 *                                                                         -> {data: {count, list}, meta: {cursor, total}}
 * POST {BASE}/{appid}/agents/{id}/interrupt                              -> {agent_id, interrupted}
 * POST {BASE}/{appid}/agents/{id}/speak     body {text, priority}        -> {agent_id, round_id, ignored}
 * GET  /node     this node's agents          POST /drain[?wait_seconds=N]  stop taking work
 * GET  /ready    200 or 503 (readiness)      GET  /metrics (Prometheus text)   GET /health (liveness)
 * </pre>
 *
 * <p>Every route but {@code /ready}, {@code /metrics} and {@code /health} needs the configured
 * credentials ({@link ApiAuth}; 401 otherwise). Errors are JSON {@code {detail, reason, field}} with the
 * status of the {@link ApiException}; 429 and 503 carry {@code Retry-After}. Request bodies are JSON,
 * at most 64 KB. Runs on the HTTP server's threads and blocks while the backend works. Nothing of a
 * request body is logged.
 */
public final class AgentApiHandler extends Handler.Abstract {
    /** The path prefix of the agent routes, as Agora's. */
    public static final String BASE = "/api/conversational-ai-agent/v2/projects";
    private static final Logger log = LoggerFactory.getLogger(AgentApiHandler.class);
    private static final int MAX_BODY = 64 * 1024;

    private final String appId;
    private final AgentBackend backend;
    private final ApiAuth auth;
    private final AgentMetrics metrics;
    private final java.util.function.Consumer<java.time.Duration> drain;

    /**
     * @param appId the only project (app id) this server serves; other ids are 404
     * @param drain what {@code POST /drain} runs (the server's drain, blocking up to the given time)
     */
    public AgentApiHandler(String appId, AgentBackend backend, ApiAuth auth, AgentMetrics metrics,
            java.util.function.Consumer<java.time.Duration> drain) {
        this.appId = Objects.requireNonNull(appId, "appId");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.drain = Objects.requireNonNull(drain, "drain");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        // The whole path: the route's path spec would strip its own prefix from the path in context.
        String path = request.getHttpURI().getDecodedPath();
        String route = "other";
        int status;
        try {
            if (path.equals("/metrics")) {
                route = "metrics";
                requireMethod(request, "GET");
                status = 200;
                send(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
            } else if (path.equals("/ready")) {
                route = "ready";
                status = backend.isReady() ? 200 : 503;
                EmbeddedServer.sendJson(response, callback, status, "{\"ready\":" + (status == 200) + "}");
            } else {
                if (!auth.accepts(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
                    response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"agent-server\"");
                    throw ApiException.unauthorized("missing or wrong credentials: use HTTP Basic with the configured"
                            + " key and secret, or a bearer token");
                }
                Routed r = route(request, path);
                route = r.route;
                status = 200;
                EmbeddedServer.sendJson(response, callback, 200, r.body.toString());
            }
        } catch (ApiException e) {
            status = e.status();
            sendError(response, callback, e);
        } catch (RuntimeException e) {
            status = 500;
            log.warn("{} {} failed", request.getMethod(), path, e);
            sendError(response, callback, ApiException.internal(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
        metrics.apiRequest(route, status);
        return true;
    }

    private record Routed(String route, ObjectNode body) {}

    private Routed route(Request request, String path) {
        if (path.equals("/node")) {
            requireMethod(request, "GET");
            return new Routed("node", nodeJson(backend.node()));
        }
        if (path.equals("/drain")) {
            requireMethod(request, "POST");
            long wait = longParam(request, "wait_seconds", 0, 3600, 30);
            drain.accept(java.time.Duration.ofSeconds(wait));
            ObjectNode o = JsonFields.JSON.createObjectNode();
            o.put("drained", true);
            o.set("node", nodeJson(backend.node()));
            return new Routed("drain", o);
        }
        if (!path.startsWith(BASE + "/")) {
            throw ApiException.notFound(null, "no such path: " + path);
        }
        List<String> parts = segments(path.substring(BASE.length() + 1));
        if (parts.isEmpty()) {
            throw ApiException.notFound(null, "no such path: " + path);
        }
        String project = parts.get(0);
        if (!project.equals(appId)) {
            throw ApiException.notFound("appid", "this server serves one project; '" + project + "' is not it");
        }
        List<String> rest = parts.subList(1, parts.size());
        if (rest.size() == 1 && rest.get(0).equals("join")) {
            requireMethod(request, "POST");
            JoinRequest join = JoinRequest.parse(body(request));
            AgentInfo a = backend.join(join);
            ObjectNode o = JsonFields.JSON.createObjectNode();
            o.put("agent_id", a.agentId());
            o.put("create_ts", a.createTs());
            o.put("status", a.status().name());
            if (a.reason() != null) {
                o.put("message", a.reason());
            }
            return new Routed("join", o);
        }
        if (rest.size() == 1 && rest.get(0).equals("agents")) {
            requireMethod(request, "GET");
            return new Routed("list", listJson(backend.list(ListQuery.parse(queryParams(request)))));
        }
        if (rest.size() >= 2 && rest.get(0).equals("agents")) {
            String id = rest.get(1);
            if (rest.size() == 2) {
                requireMethod(request, "GET");
                return new Routed("query", infoJson(backend.get(id)));
            }
            if (rest.size() == 3) {
                switch (rest.get(2)) {
                    case "leave" -> {
                        requireMethod(request, "POST");
                        AgentInfo a = backend.leave(id);
                        ObjectNode o = JsonFields.JSON.createObjectNode();
                        o.put("agent_id", a.agentId());
                        o.put("status", a.status().name());
                        return new Routed("leave", o);
                    }
                    case "interrupt" -> {
                        requireMethod(request, "POST");
                        boolean cut = backend.interrupt(id);
                        ObjectNode o = JsonFields.JSON.createObjectNode();
                        o.put("agent_id", id);
                        o.put("interrupted", cut);
                        return new Routed("interrupt", o);
                    }
                    case "speak" -> {
                        requireMethod(request, "POST");
                        SpeakRequest speak = SpeakRequest.parse(body(request));
                        long round = backend.speak(id, speak);
                        ObjectNode o = JsonFields.JSON.createObjectNode();
                        o.put("agent_id", id);
                        o.put("ignored", round < 0);
                        if (round >= 0) {
                            o.put("round_id", round);
                        }
                        return new Routed("speak", o);
                    }
                    default -> {
                        // falls through to 404
                    }
                }
            }
        }
        throw ApiException.notFound(null, "no such path: " + path);
    }

    private static List<String> segments(String s) {
        List<String> out = new ArrayList<>();
        for (String p : s.split("/")) {
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    private static void requireMethod(Request request, String method) {
        if (!request.getMethod().equals(method)) {
            throw ApiException.methodNotAllowed(method, request.getMethod() + " is not allowed here; use " + method);
        }
    }

    private static String body(Request request) {
        long declared = request.getLength();
        if (declared > MAX_BODY) {
            throw ApiException.badRequest("body", "must be at most " + MAX_BODY + " bytes; got " + declared);
        }
        try {
            String b = Content.Source.asString(request, StandardCharsets.UTF_8);
            if (b.length() > MAX_BODY) {
                throw ApiException.badRequest("body", "must be at most " + MAX_BODY + " bytes");
            }
            return b;
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("body", "could not be read: " + e.getMessage());
        }
    }

    private static Map<String, List<String>> queryParams(Request request) {
        Fields fields = Request.extractQueryParameters(request);
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Fields.Field f : fields) {
            out.put(f.getName(), f.getValues());
        }
        return out;
    }

    private static long longParam(Request request, String name, long min, long max, long dflt) {
        String v = Request.extractQueryParameters(request).getValue(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw ApiException.badRequest(name, "must be an integer in " + min + ".." + max + "; got '" + v + "'");
    }

    static ObjectNode infoJson(AgentInfo a) {
        ObjectNode o = JsonFields.JSON.createObjectNode();
        o.put("agent_id", a.agentId());
        o.put("name", a.name());
        o.put("channel", a.channel());
        o.put("agent_rtc_uid", a.agentUid());
        o.put("status", a.status().name());
        o.put("create_ts", a.createTs());
        o.put("start_ts", a.startTs());
        o.put("stop_ts", a.stopTs());
        o.put("message", a.reason() == null ? "" : a.reason());
        if (a.node() != null) {
            o.put("node", a.node());
        }
        o.put("restarts", a.restarts());
        return o;
    }

    private static ObjectNode listJson(AgentPage page) {
        ObjectNode o = JsonFields.JSON.createObjectNode();
        ObjectNode data = o.putObject("data");
        data.put("count", page.agents().size());
        ArrayNode list = data.putArray("list");
        page.agents().forEach(a -> list.add(infoJson(a)));
        ObjectNode meta = o.putObject("meta");
        meta.put("cursor", page.nextCursor() == null ? "" : page.nextCursor());
        meta.put("total", page.total());
        o.put("status", "ok");
        return o;
    }

    private static ObjectNode nodeJson(NodeInfo n) {
        ObjectNode o = JsonFields.JSON.createObjectNode();
        o.put("node", n.nodeId());
        o.put("capacity", n.capacity());
        o.put("in_use", n.inUse());
        o.put("draining", n.draining());
        ArrayNode ids = o.putArray("agents");
        n.agents().forEach(ids::add);
        return o;
    }

    private static void sendError(Response response, Callback callback, ApiException e) {
        ObjectNode o = JsonFields.JSON.createObjectNode();
        o.put("detail", e.getMessage());
        o.put("reason", e.reason());
        if (e.field() != null) {
            o.put("field", e.field());
        }
        e.extra().forEach((k, v) -> {
            if (!k.equals("allow")) {
                o.put(k, v);
            }
        });
        if (e.retryAfterSeconds() != null) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()));
            o.put("retry_after_seconds", e.retryAfterSeconds());
        }
        if (e.extra().containsKey("allow")) {
            response.getHeaders().put(HttpHeader.ALLOW, e.extra().get("allow"));
        }
        EmbeddedServer.sendJson(response, callback, e.status(), o.toString());
    }

    private static void send(Response response, Callback callback, int status, String contentType, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
