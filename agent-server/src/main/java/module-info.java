/**
 * The servers of the voice-agent SDK on one embedded Jetty 12 server: HTTP routes and WebSocket
 * endpoints ({@link io.voiceagent.server.EmbeddedServer}); the REST agent server
 * ({@code io.voiceagent.server.api}: agents started and stopped over an API in the shape of Agora's
 * Conversational AI Engine, with metrics) and its Redis dispatch across processes and machines
 * ({@code io.voiceagent.server.cluster}); the web console and WebSocket sessions, the avatar worker
 * ({@code io.voiceagent.server.avatar}) and the duet build on it.
 */
module io.voiceagent.server {
    requires transitive io.voiceagent.agora;
    requires transitive org.eclipse.jetty.server;
    requires transitive org.eclipse.jetty.websocket.api;
    requires transitive org.eclipse.jetty.websocket.server;
    requires com.fasterxml.jackson.databind;
    requires java.net.http;
    requires transitive micrometer.core;
    requires micrometer.registry.prometheus;
    requires lettuce.core;
    requires java.desktop;

    exports io.voiceagent.server;
    exports io.voiceagent.server.api;
    exports io.voiceagent.server.avatar;
    exports io.voiceagent.server.cluster;
    exports io.voiceagent.server.duet;
    exports io.voiceagent.server.web;

    // Jetty calls WebSocket endpoint methods reflectively (method handles).
    opens io.voiceagent.server to org.eclipse.jetty.websocket.common;
    opens io.voiceagent.server.web to org.eclipse.jetty.websocket.common;
    opens io.voiceagent.server.avatar to org.eclipse.jetty.websocket.common;
    opens io.voiceagent.server.duet to org.eclipse.jetty.websocket.common;
}
