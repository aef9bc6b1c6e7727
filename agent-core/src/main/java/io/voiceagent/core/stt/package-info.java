/**
 * Speech-to-text: the {@link io.voiceagent.core.stt.SpeechToText} interface and an
 * OpenAI-compatible transcription client.
 */
package io.voiceagent.core.stt;
