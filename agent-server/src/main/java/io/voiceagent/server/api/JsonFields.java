package io.voiceagent.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads one JSON object of a request with errors that name the field by its dotted path
 * ({@code properties.vad.silence_duration_ms}) and say what was expected and what came. Immutable.
 */
final class JsonFields {
    static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode node;
    private final String path;

    private JsonFields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** The request body as an object; {@code body} is the field named when it is not one. */
    static JsonFields parseBody(String body) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("body", "must be a JSON object; got an empty body");
        }
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (Exception e) {
            throw ApiException.badRequest("body", "is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (n == null || !n.isObject()) {
            throw ApiException.badRequest("body", "must be a JSON object; got " + kind(n));
        }
        return new JsonFields(n, "");
    }

    /** Wraps an object already parsed (a stored request), at {@code path}. */
    static JsonFields of(JsonNode node, String path) {
        return new JsonFields(node, path);
    }

    JsonNode node() {
        return node;
    }

    String name(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    /** The object at {@code key}, or empty when absent or null. */
    Optional<JsonFields> object(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isObject()) {
            throw ApiException.badRequest(name(key), "must be a JSON object; got " + kind(v));
        }
        return Optional.of(new JsonFields(v, name(key)));
    }

    /** The object at {@code key}; a 400 naming it when absent. */
    JsonFields requireObject(String key) {
        return object(key).orElseThrow(() -> ApiException.badRequest(name(key), "is required"));
    }

    /** The string at {@code key}, or null when absent. Numbers are not strings. */
    String string(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest(name(key), "must be a string; got " + kind(v));
        }
        return v.asText();
    }

    /** A string at {@code key} that is a secret (a token, a key): errors never show its value. */
    String secret(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest(name(key), "must be a string (value not shown)");
        }
        return v.asText();
    }

    /** A non-blank string at {@code key}; a 400 naming it otherwise. */
    String requireString(String key) {
        String s = string(key);
        if (s == null) {
            throw ApiException.badRequest(name(key), "is required");
        }
        if (s.isBlank()) {
            throw ApiException.badRequest(name(key), "must not be blank");
        }
        return s;
    }

    /** A string at {@code key}, or one of its integer forms ({@code "1234"} or {@code 1234}), or null. */
    String stringOrInteger(String key) {
        JsonNode v = node.get(key);
        if (v != null && v.isIntegralNumber()) {
            return v.asText();
        }
        return string(key);
    }

    boolean bool(String key, boolean defaultValue) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isBoolean()) {
            throw ApiException.badRequest(name(key), "must be true or false; got " + kind(v));
        }
        return v.asBoolean();
    }

    /** An integer at {@code key} in {@code min..max}, or {@code defaultValue} when absent. */
    long integer(String key, long min, long max, long defaultValue) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ApiException.badRequest(name(key), "must be an integer in " + min + ".." + max + "; got " + kind(v));
        }
        long n = v.asLong();
        if (n < min || n > max) {
            throw ApiException.badRequest(name(key), "must be in " + min + ".." + max + "; got " + n);
        }
        return n;
    }

    /** A number at {@code key} in {@code min..max}, or {@code defaultValue} when absent. */
    double number(String key, double min, double max, double defaultValue) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isNumber()) {
            throw ApiException.badRequest(name(key), "must be a number in " + min + ".." + max + "; got " + kind(v));
        }
        double d = v.asDouble();
        if (!(d >= min && d <= max)) {
            throw ApiException.badRequest(name(key), "must be in " + min + ".." + max + "; got " + v.asText());
        }
        return d;
    }

    /** The strings of the array at {@code key}, or null when absent. */
    List<String> strings(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw ApiException.badRequest(name(key), "must be an array of strings; got " + kind(v));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isTextual() && !e.isIntegralNumber()) {
                throw ApiException.badRequest(name(key) + "[" + i + "]", "must be a string; got " + kind(e));
            }
            out.add(e.asText());
        }
        return out;
    }

    /** The objects of the array at {@code key}, or an empty list when absent. */
    List<JsonFields> objects(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw ApiException.badRequest(name(key), "must be an array of objects; got " + kind(v));
        }
        List<JsonFields> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isObject()) {
                throw ApiException.badRequest(name(key) + "[" + i + "]", "must be a JSON object; got " + kind(e));
            }
            out.add(new JsonFields(e, name(key) + "[" + i + "]"));
        }
        return out;
    }

    /** What a value is, for messages: a type and, for scalars, the value ({@code a string 'x'}, {@code the number 3}). */
    static String kind(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "null";
        }
        JsonNodeType t = v.getNodeType();
        return switch (t) {
            case STRING -> "the string '" + v.asText() + "'";
            case NUMBER -> "the number " + v.asText();
            case BOOLEAN -> v.asText();
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> t.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
