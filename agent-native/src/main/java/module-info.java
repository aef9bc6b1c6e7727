/**
 * The JNA binding of the Agora Linux server SDK's C API (build 4.4.32-20250425) and the typed Java API
 * over it: the service, connections and tracks ({@code io.voiceagent.agora}), the connection pool
 * ({@code .pool}), the paced audio output ({@code .audio}), video and encoded media ({@code .video}) and
 * the loopback library's diagnostics ({@code .loopback}). The raw JNA layer ({@code .internal}) is not exported; it is opened to JNA,
 * which reads its {@code Structure} fields and implements its library interface reflectively.
 */
module io.voiceagent.agora {
    requires transitive io.voiceagent.core;
    requires com.sun.jna;

    exports io.voiceagent.agora;
    exports io.voiceagent.agora.agent;
    exports io.voiceagent.agora.audio;
    exports io.voiceagent.agora.loopback;
    exports io.voiceagent.agora.pool;
    exports io.voiceagent.agora.video;

    opens io.voiceagent.agora.internal to com.sun.jna;
}
