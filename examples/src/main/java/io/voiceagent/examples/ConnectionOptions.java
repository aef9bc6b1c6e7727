package io.voiceagent.examples;

import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.AgoraServiceConfig;
import picocli.CommandLine.Option;

/**
 * The options every sample that joins a channel shares. The app id and token default to the
 * {@code AGORA_APP_ID} and {@code AGORA_TOKEN} environment variables; neither is ever printed.
 */
public final class ConnectionOptions {
    /** App id used with the loopback library when none is given (any string works there). */
    static final String LOOPBACK_APP_ID = "loopback-demo";

    @Option(names = "--app-id", description = "Agora app id (default: $AGORA_APP_ID; any value on the loopback library)")
    String appId;

    @Option(names = "--token", description = "RTC token (default: $AGORA_TOKEN, else none)")
    String token;

    @Option(names = {"-c", "--channel"}, required = true, description = "channel name")
    String channel;

    /** The app id to use, from the option, the environment, or the loopback default. */
    public String appId() {
        return resolveAppId(appId);
    }

    /** {@code option} if given, else {@code $AGORA_APP_ID}, else the loopback default (loopback library only). */
    static String resolveAppId(String option) {
        if (option != null && !option.isBlank()) {
            return option;
        }
        String env = System.getenv("AGORA_APP_ID");
        if (env != null && !env.isBlank()) {
            return env;
        }
        if (AgoraService.isLoopback()) {
            return LOOPBACK_APP_ID;
        }
        throw new BadInputException("Missing required option '--app-id' (or AGORA_APP_ID) with the real Agora SDK");
    }

    /** The channel name given with {@code --channel}. */
    public String channel() {
        return channel;
    }

    /** The token to use, or "" for none. */
    public String token() {
        if (token != null) {
            return token;
        }
        String env = System.getenv("AGORA_TOKEN");
        return env == null ? "" : env;
    }

    /** A service config for this app id with the SDK's defaults. */
    public AgoraServiceConfig serviceConfig() {
        return AgoraServiceConfig.builder().appId(appId()).build();
    }

    /** {@link #serviceConfig()} with video enabled (sending or receiving video needs it). */
    public AgoraServiceConfig videoServiceConfig() {
        return AgoraServiceConfig.builder().appId(appId()).enableVideo(true).build();
    }
}
