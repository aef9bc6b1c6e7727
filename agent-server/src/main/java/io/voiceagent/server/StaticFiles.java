package io.voiceagent.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A fixed set of files from the class path, served by base name (a page's HTML, ES modules, CSS):
 * whatever the route's prefix, the last path segment picks the file, and the route's own path (an
 * empty last segment, or one of {@code indexPaths}) serves {@code index}; nothing outside the set is
 * ever served (404). The files are
 * read once, when it is made. Thread-safe.
 */
public final class StaticFiles extends Handler.Abstract {
    private final Map<String, byte[]> bodies;
    private final Map<String, String> types;
    private final String index;
    private final java.util.Set<String> indexPaths;

    /**
     * @param owner the class whose package the files are relative to
     * @param folder the folder under that package ({@code "console"})
     * @param types each file's name and content type
     * @param index the file served for {@code indexPaths}
     * @param indexPaths the request paths that serve {@code index} ({@code "/"}, {@code "/duet"})
     * @throws IllegalStateException if a file is missing from the class path
     */
    public StaticFiles(Class<?> owner, String folder, Map<String, String> types, String index,
            java.util.Set<String> indexPaths) {
        this.types = Map.copyOf(types);
        this.indexPaths = java.util.Set.copyOf(indexPaths);
        this.index = Objects.requireNonNull(index, "index");
        if (!types.containsKey(index)) {
            throw new IllegalArgumentException("index " + index + " is not one of the files " + types.keySet());
        }
        Map<String, byte[]> m = new HashMap<>();
        for (String name : types.keySet()) {
            try (InputStream in = owner.getResourceAsStream(folder + "/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("the file " + folder + "/" + name + " of " + owner.getSimpleName()
                            + " is missing from the jar");
                }
                m.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        this.bodies = Map.copyOf(m);
    }

    /** The names of the files served. */
    public java.util.Set<String> names() {
        return types.keySet();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String base = path.substring(path.lastIndexOf('/') + 1);
        // The route's own path: "" or "/" as the route matched it (a prefix route strips its prefix).
        String name = base.isEmpty() || indexPaths.contains(path) ? index : base;
        byte[] body = path.contains("..") ? null : bodies.get(name);
        if (body == null) {
            EmbeddedServer.sendJson(response, callback, 404, "{\"error\":{\"message\":\"no such file: "
                    + name.replaceAll("[^A-Za-z0-9._-]", "") + "\"}}");
            return true;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, types.get(name));
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
