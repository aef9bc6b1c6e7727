/**
 * Injectable time: {@link io.voiceagent.core.time.Ticker}, the monotonic clock every timed
 * component of the SDK reads, so tests drive time with a fake clock instead of sleeping.
 */
package io.voiceagent.core.time;
