package io.voiceagent.core.duet;

/**
 * One turn of a {@link Duet}: which agent spoke, as whom, in which language and voice. Immutable.
 *
 * @param index the turn's number in the duet, from 1, never reused (not reset by {@link Duet#reset()})
 * @param role the agent speaking
 * @param name the agent's name at the time
 * @param language the language it spoke
 * @param voice the voice it spoke with
 */
public record DuetTurn(long index, DuetRole role, String name, String language, String voice) {
}
