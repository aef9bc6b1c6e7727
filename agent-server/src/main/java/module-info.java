/**
 * The servers of the voice-agent SDK on one embedded Jetty 12 server: HTTP routes and WebSocket
 * endpoints ({@link io.voiceagent.server.EmbeddedServer}); the web console and WebSocket sessions,
 * the duet and the REST agent server build on it.
 */
module io.voiceagent.server {
    requires transitive io.voiceagent.agora;
    requires transitive org.eclipse.jetty.server;
    requires transitive org.eclipse.jetty.websocket.api;
    requires transitive org.eclipse.jetty.websocket.server;
    requires com.fasterxml.jackson.databind;
    requires java.net.http;

    exports io.voiceagent.server;
    exports io.voiceagent.server.web;

    // Jetty calls WebSocket endpoint methods reflectively (method handles).
    opens io.voiceagent.server to org.eclipse.jetty.websocket.common;
    opens io.voiceagent.server.web to org.eclipse.jetty.websocket.common;
}
