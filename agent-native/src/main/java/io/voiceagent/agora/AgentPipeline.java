package io.voiceagent.agora;

import io.voiceagent.core.llm.AudioModalitiesClient;
import io.voiceagent.core.llm.ChatClient;
import io.voiceagent.core.tts.TextToSpeech;
import io.voiceagent.core.turn.Round;
import io.voiceagent.core.turn.TextSegmenterConfig;

/**
 * What a {@link VoiceAgent} does in each round: turns the user's turn into audio written with
 * {@link Round#writeAudio} (in the agent's output format), then {@link Round#complete()} or
 * {@link Round#fail(Throwable)}. Two ready-made strategies: {@link #audioModalities} (one request
 * that streams text and audio, e.g. the local {@code AudioModalitiesServer}: the offline default)
 * and {@link #chatThenSpeech} (streaming LLM text, cut by a {@code TextSegmenter}, spoken by a TTS).
 *
 * <p><b>Threads.</b> {@link #run} is called on the connection's event executor (or an I/O thread
 * when the agent has speech recognition) and must return at once: start the HTTP requests and make
 * the round own them ({@link Round#own}), so an interrupt cancels them. Never block in it. A
 * {@code RuntimeException} thrown by {@code run} fails the round.
 */
public interface AgentPipeline {

    /** Starts producing the answer of {@code round} to {@code turn}; returns at once. */
    void run(Round round, UserTurn turn);

    /**
     * The audio-modalities strategy: one streaming request per round; the transcript is the answer
     * text. The server must stream PCM in the agent's output format (16 kHz mono by default).
     */
    static AgentPipeline audioModalities(AudioModalitiesClient client) {
        return new AudioModalitiesPipeline(client);
    }

    /**
     * LLM -> TTS: streams the chat completion, cuts it into sentences with a {@code TextSegmenter}
     * and synthesizes them one after another, in order. Needs the turn's text, i.e. a
     * {@code SpeechToText} on the agent (a round whose turn has no text fails).
     */
    static AgentPipeline chatThenSpeech(ChatClient chat, TextToSpeech tts, TextSegmenterConfig segmenter) {
        return new ChatTtsPipeline(chat, tts, segmenter);
    }
}
