/**
 * LLM clients: OpenAI-compatible streaming chat completions
 * ({@link io.voiceagent.core.llm.OpenAiChatClient}), the audio-modalities endpoint that streams a
 * transcript and PCM ({@link io.voiceagent.core.llm.AudioModalitiesClient}, an
 * {@link io.voiceagent.core.llm.AudioChatClient}). The endpoint's server lives in
 * {@code io.voiceagent.core.server}.
 */
package io.voiceagent.core.llm;
