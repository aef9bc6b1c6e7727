/**
 * Video and encoded media over the Agora C API (native build 4.4.32-20250425): custom video tracks
 * fed with raw I420/RGBA/BGRA frames ({@link io.voiceagent.agora.video.LocalVideoTrack}) or encoded
 * H.264 access units ({@link io.voiceagent.agora.video.EncodedVideoTrack}), an encoded (AAC/Opus)
 * audio track ({@link io.voiceagent.agora.video.EncodedAudioTrack}), and receiving remote video
 * ({@link io.voiceagent.agora.video.VideoReceiver}). The service must be created with video enabled
 * for video tracks. Same rules as the audio binding: one owner per native handle, idempotent close in
 * Agora's order, callbacks copied on the SDK's thread and delivered on the connection's executor,
 * errors as {@link io.voiceagent.agora.AgoraException} naming the C function.
 */
package io.voiceagent.agora.video;
