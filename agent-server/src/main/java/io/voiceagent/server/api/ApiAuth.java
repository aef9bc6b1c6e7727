package io.voiceagent.server.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The credentials the REST API accepts: HTTP Basic key/secret pairs (as Agora's REST API uses its
 * customer key and secret) and bearer tokens. Empty means no authentication, which the server only
 * allows on 127.0.0.1.
 *
 * <p>Sources: {@code AGENT_SERVER_AUTH=key:secret} and {@code AGENT_SERVER_TOKEN=token} in the
 * environment ({@link #fromEnvironment}), or a file ({@link #fromFile}) with one credential per line:
 * {@code key:secret} or {@code basic key:secret} for Basic, {@code bearer token} for a bearer token;
 * blank lines and lines starting with {@code #} are skipped.
 *
 * <p>Comparisons take the same time whatever matches (SHA-256 digests compared with
 * {@link MessageDigest#isEqual}). No secret is ever printed: {@link #toString()} counts them and
 * errors name the line, not its content. Immutable and thread-safe.
 */
public final class ApiAuth {
    /** Environment variable with one {@code key:secret} pair for HTTP Basic. */
    public static final String ENV_BASIC = "AGENT_SERVER_AUTH";
    /** Environment variable with one bearer token. */
    public static final String ENV_TOKEN = "AGENT_SERVER_TOKEN";

    private final List<byte[]> basic;   // SHA-256 of "key:secret"
    private final List<byte[]> bearer;  // SHA-256 of the token

    private ApiAuth(List<byte[]> basic, List<byte[]> bearer) {
        this.basic = List.copyOf(basic);
        this.bearer = List.copyOf(bearer);
    }

    /** No credentials: every request is accepted (the server then binds 127.0.0.1 only). */
    public static ApiAuth none() {
        return new ApiAuth(List.of(), List.of());
    }

    /** One HTTP Basic pair. */
    public static ApiAuth basic(String key, String secret) {
        return new Builder().basic(key + ":" + secret, "basic credentials").build();
    }

    /** One bearer token. */
    public static ApiAuth bearer(String token) {
        return new Builder().bearer(token, "bearer token").build();
    }

    /** {@code AGENT_SERVER_AUTH} and {@code AGENT_SERVER_TOKEN} from {@code env} (either, both or none). */
    public static ApiAuth fromEnvironment(Map<String, String> env) {
        Builder b = new Builder();
        String pair = env.get(ENV_BASIC);
        if (pair != null && !pair.isBlank()) {
            b.basic(pair.strip(), ENV_BASIC);
        }
        String token = env.get(ENV_TOKEN);
        if (token != null && !token.isBlank()) {
            b.bearer(token.strip(), ENV_TOKEN);
        }
        return b.build();
    }

    /**
     * Reads an auth file (see the class comment).
     *
     * @throws IllegalArgumentException naming the file and the line number of a malformed line
     * @throws IOException if it cannot be read
     */
    public static ApiAuth fromFile(Path file) throws IOException {
        Builder b = new Builder();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + " line " + (i + 1);
            if (line.regionMatches(true, 0, "bearer ", 0, 7)) {
                b.bearer(line.substring(7).strip(), where);
            } else if (line.regionMatches(true, 0, "basic ", 0, 6)) {
                b.basic(line.substring(6).strip(), where);
            } else {
                b.basic(line, where);
            }
        }
        ApiAuth auth = b.build();
        if (!auth.isEnabled()) {
            throw new IllegalArgumentException("auth file " + file + " has no credential: write key:secret or"
                    + " bearer <token> lines");
        }
        return auth;
    }

    /** Both sets of credentials. */
    public ApiAuth and(ApiAuth other) {
        List<byte[]> b = new ArrayList<>(basic);
        b.addAll(other.basic);
        List<byte[]> t = new ArrayList<>(bearer);
        t.addAll(other.bearer);
        return new ApiAuth(b, t);
    }

    /** Whether any credential is configured. */
    public boolean isEnabled() {
        return !basic.isEmpty() || !bearer.isEmpty();
    }

    /**
     * Whether an {@code Authorization} header value is accepted (always, when no credential is configured).
     */
    public boolean accepts(String authorization) {
        if (!isEnabled()) {
            return true;
        }
        if (authorization == null) {
            return false;
        }
        String h = authorization.strip();
        if (h.regionMatches(true, 0, "Basic ", 0, 6)) {
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(h.substring(6).strip());
            } catch (IllegalArgumentException e) {
                return false;
            }
            return matches(basic, decoded);
        }
        if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return matches(bearer, h.substring(7).strip().getBytes(StandardCharsets.UTF_8));
        }
        return false;
    }

    private static boolean matches(List<byte[]> digests, byte[] presented) {
        byte[] d = sha256(presented);
        boolean ok = false;
        for (byte[] known : digests) {
            ok |= MessageDigest.isEqual(known, d); // no early exit
        }
        return ok;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "ApiAuth[" + (isEnabled() ? basic.size() + " basic, " + bearer.size() + " bearer" : "none") + "]";
    }

    private static final class Builder {
        private final List<byte[]> basic = new ArrayList<>();
        private final List<byte[]> bearer = new ArrayList<>();

        Builder basic(String pair, String where) {
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1 || pair.chars().anyMatch(c -> c < 0x20)) {
                throw new IllegalArgumentException(where + " must be key:secret with a non-empty key and secret"
                        + " (value not shown)");
            }
            basic.add(sha256(pair.getBytes(StandardCharsets.UTF_8)));
            return this;
        }

        Builder bearer(String token, String where) {
            if (token.isEmpty() || token.chars().anyMatch(c -> c <= 0x20 || c > 0x7e)) {
                throw new IllegalArgumentException(where + " must be a bearer token of printable ASCII without spaces"
                        + " (value not shown)");
            }
            bearer.add(sha256(token.getBytes(StandardCharsets.UTF_8)));
            return this;
        }

        ApiAuth build() {
            return new ApiAuth(basic, bearer);
        }
    }
}
