/**
 * Servers of the core that a deployment runs: the "audio modalities" endpoint
 * ({@link io.voiceagent.core.server.AudioModalitiesServer}, {@code POST /audio/chat/completions}
 * streaming a transcript then base64 PCM chunks then {@code [DONE]} as SSE), the offline LLM of the
 * samples and a stand-in for a hosted one in tests.
 */
package io.voiceagent.core.server;
