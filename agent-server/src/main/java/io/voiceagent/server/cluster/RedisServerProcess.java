package io.voiceagent.server.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private {@code redis-server} child process on 127.0.0.1 and a free port, for tests, benchmarks and
 * trying cluster mode on one machine (Debian's {@code redis-server}, installed by
 * {@code scripts/install-deps.sh}). Append-only persistence with {@code appendfsync always} in its own
 * folder, so {@link #restart()} keeps every stream, pending entry and hash, as a production Redis with
 * AOF does. Not for production: run a managed or packaged Redis there.
 *
 * <p>Owns the process: {@link #close()} stops it (SIGTERM, then SIGKILL after 5 s). Thread-safe.
 */
public final class RedisServerProcess implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisServerProcess.class);

    private final Path dir;
    private final int port;
    private Process process; // guarded by this

    private RedisServerProcess(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /**
     * Starts {@code redis-server} with its data in {@code dir} (created if missing) and waits until it
     * answers PING.
     *
     * @throws IOException if it cannot be started, naming how to install it when it is missing
     */
    public static RedisServerProcess start(Path dir) throws IOException {
        Files.createDirectories(dir);
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            RedisServerProcess r = new RedisServerProcess(dir, freePort());
            try {
                r.launch();
                return r;
            } catch (IOException e) {
                last = e; // the port was taken between the probe and the bind: try another
                r.close();
            }
        }
        throw last;
    }

    /** {@code redis://127.0.0.1:port}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Whether the process is alive. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the server (SIGTERM: it writes its data) and starts it again on the same port and folder. */
    public synchronized void restart() throws IOException {
        stop();
        launch();
    }

    /** Stops the server (SIGTERM, then SIGKILL after 5 s); {@link #restart()} may start it again. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private synchronized void launch() throws IOException {
        List<String> cmd = List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--appendonly", "yes", "--appendfsync", "always",
                "--protected-mode", "yes", "--daemonize", "no", "--logfile", dir.resolve("redis.log").toString());
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("redis.out")
                    .toFile()).start();
        } catch (IOException e) {
            throw new IOException("cannot run redis-server (" + e.getMessage() + "): install it with"
                    + " scripts/install-deps.sh or `apt-get install redis-server`", e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with " + process.exitValue() + " on port " + port
                        + "; see " + dir.resolve("redis.log"));
            }
            if (ping()) {
                log.info("redis-server listening on {} (data in {})", uri(), dir);
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for redis-server", e);
            }
        }
        throw new IOException("redis-server did not answer PING on port " + port + " within 10 s");
    }

    private boolean ping() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[16];
            int n = in.read(buf);
            return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "RedisServerProcess[" + uri() + "]";
    }
}
