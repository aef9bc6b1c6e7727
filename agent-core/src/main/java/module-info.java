/**
 * The transport-neutral core of the voice-agent SDK: PCM audio, real-time pacing, Silero VAD and the
 * VAD V2 turn detector, the agent session and its transport SPI, and the speech-to-text, LLM and
 * text-to-speech providers. No native code.
 */
module io.voiceagent.core {
    requires transitive org.slf4j;
    requires com.fasterxml.jackson.databind;
    requires com.microsoft.onnxruntime;
    requires java.net.http;
    requires jdk.httpserver;

    exports io.voiceagent.core.agent;
    exports io.voiceagent.core.audio;
    exports io.voiceagent.core.concurrent;
    exports io.voiceagent.core.http;
    exports io.voiceagent.core.llm;
    exports io.voiceagent.core.pacing;
    exports io.voiceagent.core.server;
    exports io.voiceagent.core.stt;
    exports io.voiceagent.core.time;
    exports io.voiceagent.core.tts;
    exports io.voiceagent.core.vad;
}
