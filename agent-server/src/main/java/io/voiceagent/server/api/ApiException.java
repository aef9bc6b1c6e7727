package io.voiceagent.server.api;

import java.util.Map;

/**
 * A request the API refuses, as the HTTP status and the JSON error body it becomes:
 * {@code {"detail": "...", "reason": "InvalidRequest", "field": "properties.channel"}}, plus a
 * {@code Retry-After} header for 429 and 503. Thrown by the backends and the request parsers; the
 * handler turns it into the response. The detail never contains a token, key or secret.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String reason;
    private final String field;
    private final Integer retryAfterSeconds;
    private final Map<String, String> extra;

    private ApiException(int status, String reason, String field, String detail, Integer retryAfterSeconds,
            Map<String, String> extra) {
        super(detail);
        this.status = status;
        this.reason = reason;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
        this.extra = Map.copyOf(extra);
    }

    /** 400: {@code field} (a dotted path such as {@code properties.llm.url}) is missing or wrong. */
    public static ApiException badRequest(String field, String detail) {
        return new ApiException(400, "InvalidRequest", field, field + " " + detail, null, Map.of());
    }

    /** 401: missing or wrong credentials. */
    public static ApiException unauthorized(String detail) {
        return new ApiException(401, "Unauthorized", null, detail, null, Map.of());
    }

    /** 404: no such path, project or agent. */
    public static ApiException notFound(String field, String detail) {
        return new ApiException(404, "NotFound", field, detail, null, Map.of());
    }

    /** 405: the path exists with another method. */
    public static ApiException methodNotAllowed(String allowed, String detail) {
        return new ApiException(405, "MethodNotAllowed", null, detail, null, Map.of("allow", allowed));
    }

    /** 409: a running agent already has this {@code name}, or the agent is not in a state for this. */
    public static ApiException conflict(String field, String detail, Map<String, String> extra) {
        return new ApiException(409, "TaskConflict", field, detail, null, extra);
    }

    /** 429: every session slot is taken; retry after {@code retryAfterSeconds}. */
    public static ApiException full(String detail, int retryAfterSeconds) {
        return new ApiException(429, "TooManyAgents", null, detail, retryAfterSeconds, Map.of());
    }

    /** 503: draining, or the cluster store is unreachable; retry after {@code retryAfterSeconds}. */
    public static ApiException unavailable(String reason, String detail, int retryAfterSeconds) {
        return new ApiException(503, reason, null, detail, retryAfterSeconds, Map.of());
    }

    /**
     * The same refusal made by another node (a worker that ran the command): status, reason, field and
     * detail as it reported them.
     */
    public static ApiException relayed(int status, String reason, String field, String detail,
            Integer retryAfterSeconds) {
        return new ApiException(status, reason, field, detail, retryAfterSeconds, Map.of());
    }

    /** 500: something broke on this side (the detail says what, without secrets). */
    public static ApiException internal(String detail) {
        return new ApiException(500, "InternalError", null, detail, null, Map.of());
    }

    public int status() {
        return status;
    }

    /** A short machine-readable word: {@code InvalidRequest}, {@code TaskConflict}, {@code TooManyAgents}, ... */
    public String reason() {
        return reason;
    }

    /** The request field at fault, or null. */
    public String field() {
        return field;
    }

    /** Seconds for the {@code Retry-After} header, or null. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** More fields of the error body (for 409 the existing {@code agent_id}; for 405 {@code allow}). */
    public Map<String, String> extra() {
        return extra;
    }
}
