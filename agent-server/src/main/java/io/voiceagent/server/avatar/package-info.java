/**
 * The avatar worker of seed 004: {@link io.voiceagent.server.avatar.AvatarWorker} joins the user's
 * channel, takes one agent's speech over a WebSocket (the avatar protocol of
 * {@code io.voiceagent.core.avatar}), and publishes that speech with a face whose mouth follows it
 * ({@link io.voiceagent.server.avatar.FaceRenderer}), 25 frames per second on a solid background.
 */
package io.voiceagent.server.avatar;
