package io.vmworkers.it.hardening;

/**
 * Announces {@code bodies} byte arrays that follow it on the channel.
 * @param id names the message
 * @param bodies how many byte arrays follow
 */
public record Header(int id, int bodies) {

}
