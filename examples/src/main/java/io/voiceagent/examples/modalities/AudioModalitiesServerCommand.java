package io.voiceagent.examples.modalities;

import io.voiceagent.examples.BadInputException;
import io.voiceagent.core.server.AudioModalitiesServer;
import io.voiceagent.core.server.AudioModalitiesServerConfig;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Teaches one thing: serving a local "audio modalities" LLM that streams a transcript and a PCM
 * file as Server-Sent Events ({@code POST /v1/audio/chat/completions}), so a voice agent can run
 * without API keys. Runs until Ctrl-C.
 */
@Command(name = "audio-modalities-server", mixinStandardHelpOptions = true,
        description = {"Serve POST /audio/chat/completions (any prefix, e.g. /v1) streaming --transcript, then "
                + "--pcm (16 kHz PCM16 mono) in 40 ms base64 chunks at real-time pace, then [DONE].",
                "Clients must send 'Authorization: Bearer <key>' (any non-empty key unless --api-key or "
                + "AUDIO_MODALITIES_API_KEY is set)."})
public final class AudioModalitiesServerCommand implements Callable<Integer> {

    /** Environment variable holding the key clients must send (alternative to --api-key). */
    public static final String ENV_API_KEY = "AUDIO_MODALITIES_API_KEY";

    @Option(names = "--port", defaultValue = "8000", description = "TCP port (0 = any free port). Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind. Default: ${DEFAULT-VALUE}")
    String host;

    @Option(names = "--pcm", required = true, description = "16 kHz 16-bit mono PCM file to stream")
    Path pcm;

    @Option(names = "--transcript", required = true, description = "UTF-8 text file sent as the transcript")
    Path transcript;

    @Option(names = "--api-key", description = "Bearer token clients must send (default: $" + ENV_API_KEY
            + ", else any non-empty token)")
    String apiKey;

    @Option(names = "--chunk-interval-ms", defaultValue = "40",
            description = "Milliseconds between 40 ms audio chunks (40 = real time, 0 = as fast as possible). Default: ${DEFAULT-VALUE}")
    long chunkIntervalMs;

    @Override
    public Integer call() throws Exception {
        String key = apiKey != null ? apiKey : System.getenv(ENV_API_KEY);
        if (key != null && key.isBlank()) {
            key = null;
        }
        for (Path p : new Path[] {pcm, transcript}) {
            if (!Files.isRegularFile(p)) {
                System.err.println("warning: " + p + " does not exist; requests get 404 until it does");
            }
        }
        if (port < 0 || port > 65535) {
            throw new BadInputException("--port", port, "must be 0 (any free port) to 65535");
        }
        BadInputException.atLeast("--chunk-interval-ms", chunkIntervalMs, 0L);
        AudioModalitiesServerConfig config = AudioModalitiesServerConfig.builder()
                .bindAddress(InetAddress.getByName(host)).port(port).pcmFile(pcm).transcriptFile(transcript)
                .apiKey(key).chunkInterval(Duration.ofMillis(chunkIntervalMs)).build();
        CountDownLatch stopped = new CountDownLatch(1);
        try (AudioModalitiesServer server = AudioModalitiesServer.start(config)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "audio-modalities-server-shutdown"));
            System.out.println("listening on " + server.baseUri() + "/audio/chat/completions"
                    + (key == null ? " (any bearer token)" : " (bearer token required)"));
            System.out.println("use it as the LLM: OPENAI_BASE_URL=" + server.baseUri());
            stopped.await();
        }
        return 0;
    }
}
