package io.vmworkers.soak;

/**
 * What a worker sends back for each {@link Chunk} the master put: the master learns from these which
 * worker process received which chunks, and in what order.
 *
 * @param seq the chunk's sequence number
 * @param workerPid the worker process that received it
 * @param intact whether its payload arrived unchanged
 */
public record Receipt(long seq, long workerPid, boolean intact) {

}
