/**
 * LLM clients: OpenAI-compatible streaming chat completions
 * ({@link io.voiceagent.core.llm.OpenAiChatClient}), the audio-modalities endpoint that streams a
 * transcript and PCM ({@link io.voiceagent.core.llm.AudioModalitiesClient}), and a local server for
 * that endpoint ({@link io.voiceagent.core.llm.AudioModalitiesServer}) used as the offline "LLM".
 */
package io.voiceagent.core.llm;
