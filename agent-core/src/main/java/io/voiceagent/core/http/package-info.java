/**
 * HTTP plumbing shared by the LLM, TTS and STT clients: an incremental Server-Sent Events parser
 * ({@link io.voiceagent.core.http.SseParser}), a cancellable streaming request over
 * {@code java.net.http} ({@link io.voiceagent.core.http.SseHttpCall}), the
 * {@link io.voiceagent.core.http.StreamCall} abstraction, and the configuration of
 * OpenAI-compatible endpoints from the environment ({@link io.voiceagent.core.http.OpenAiConfig}).
 */
package io.voiceagent.core.http;
