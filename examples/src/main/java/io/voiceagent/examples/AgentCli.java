package io.voiceagent.examples;

/** Placeholder entry point; replaced by the picocli command set. */
public final class AgentCli {
    private AgentCli() {}

    public static void main(String[] args) {
        System.out.println("voice agent samples");
    }
}
