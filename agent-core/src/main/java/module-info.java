/**
 * The transport-neutral core of the voice-agent SDK: PCM audio, real-time pacing, Silero VAD and the
 * VAD V2 turn detector, the agent session and its transport SPI, and the speech-to-text, LLM and
 * text-to-speech providers. No native code.
 */
module io.voiceagent.core {
    requires transitive org.slf4j;
    requires com.fasterxml.jackson.databind;
    requires com.microsoft.onnxruntime;
    requires com.sun.jna;
    requires java.net.http;
    requires jdk.httpserver;

    exports io.voiceagent.core.agent;
    exports io.voiceagent.core.audio;
    exports io.voiceagent.core.avatar;
    exports io.voiceagent.core.concurrent;
    exports io.voiceagent.core.duet;
    exports io.voiceagent.core.http;
    exports io.voiceagent.core.llm;
    exports io.voiceagent.core.pacing;
    exports io.voiceagent.core.server;
    exports io.voiceagent.core.stt;
    exports io.voiceagent.core.stt.deepgram;
    exports io.voiceagent.core.stt.pocketsphinx;
    exports io.voiceagent.core.time;
    exports io.voiceagent.core.tts;
    exports io.voiceagent.core.vad;

    // JNA implements the PocketSphinx library interfaces and handle types reflectively.
    opens io.voiceagent.core.stt.pocketsphinx.internal to com.sun.jna;
}
