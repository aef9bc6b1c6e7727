package io.voiceagent.core.duet;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.http.StreamCall;
import io.voiceagent.core.tts.TextToSpeech;
import io.voiceagent.core.tts.TtsListener;
import java.util.Objects;

/**
 * The TTS of one agent's session: the current voice's engine, switched by the duet before the agent's
 * next turn starts (a session's TTS is fixed when it is built). A synthesis uses the engine current
 * when it starts. Thread-safe (one volatile reference).
 */
final class VoiceSwitch implements TextToSpeech {
    private volatile TextToSpeech current;
    private volatile String voice;

    VoiceSwitch(String voice, TextToSpeech tts) {
        use(voice, tts);
    }

    void use(String newVoice, TextToSpeech tts) {
        this.current = Objects.requireNonNull(tts, "tts");
        this.voice = Objects.requireNonNull(newVoice, "newVoice");
    }

    String voice() {
        return voice;
    }

    @Override
    public StreamCall synthesize(String text, PcmFormat format, TtsListener listener) {
        return current.synthesize(text, format, listener);
    }

    @Override
    public String toString() {
        return "VoiceSwitch[" + voice + ": " + current + "]";
    }
}
