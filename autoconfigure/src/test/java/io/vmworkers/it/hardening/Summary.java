package io.vmworkers.it.hardening;

/**
 * What the worker read for one {@link Header}.
 * @param id the header's id
 * @param bytes the lengths of its bodies, summed
 * @param firstBytes the first byte of each body, in the order read
 */
public record Summary(int id, long bytes, byte[] firstBytes) {

}
