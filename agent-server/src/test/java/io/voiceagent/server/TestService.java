package io.voiceagent.server;

import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.AgoraServiceConfig;

/**
 * The test JVM's one {@link AgoraService} on the loopback library (Agora allows one per process), with
 * video enabled for the avatar tests; every agent-server test class shares it. It is closed when the
 * JVM exits, so a test class checks for leaks against the handle count it started with.
 */
public final class TestService {
    public static final String APP_ID = "agent-server-test-" + ProcessHandle.current().pid();
    private static AgoraService service;

    private TestService() {}

    public static synchronized AgoraService get() {
        if (service == null) {
            AgoraService created = AgoraService.create(AgoraServiceConfig.builder().appId(APP_ID).enableVideo(true).build());
            Runtime.getRuntime().addShutdownHook(new Thread(created::close, "test-service-close"));
            service = created;
        }
        return service;
    }
}
