/** The command-line samples and benchmarks behind {@code scripts/agent} (picocli commands). */
module io.voiceagent.examples {
    requires io.voiceagent.agora;
    requires io.voiceagent.server;
    requires io.voiceagent.testing; // bench web: scripted provider stand-ins
    requires java.net.http;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires java.desktop;
    requires java.management;
    requires jdk.management;

    opens io.voiceagent.examples to info.picocli;
    opens io.voiceagent.examples.bench to info.picocli;
    opens io.voiceagent.examples.modalities to info.picocli;
    opens io.voiceagent.examples.vad to info.picocli;
    opens io.voiceagent.examples.video to info.picocli;
    opens io.voiceagent.examples.avatar to info.picocli;
}
