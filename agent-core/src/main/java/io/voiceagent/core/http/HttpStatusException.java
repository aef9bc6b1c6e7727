package io.voiceagent.core.http;

import java.io.IOException;
import java.net.URI;

/**
 * An HTTP request got a non-2xx status. The message names the method, URI, status and the start
 * of the response body (which servers use for error details; it never contains our API key).
 */
public final class HttpStatusException extends IOException {

    private final int statusCode;
    private final String bodyExcerpt;

    public HttpStatusException(String method, URI uri, int statusCode, String bodyExcerpt) {
        super(method + " " + uri + " returned HTTP " + statusCode + (bodyExcerpt.isEmpty() ? "" : ": " + bodyExcerpt));
        this.statusCode = statusCode;
        this.bodyExcerpt = bodyExcerpt;
    }

    /** The HTTP status code, e.g. 401. */
    public int statusCode() {
        return statusCode;
    }

    /** Up to the first 2 KiB of the response body, decoded as UTF-8. */
    public String bodyExcerpt() {
        return bodyExcerpt;
    }
}
