package io.vmworkers.dispatch;

/**
 * What a worker reports about itself every
 * {@link io.vmworkers.protocol.Frames#HEARTBEAT_INTERVAL}: proof of life and its heap.
 * @param heapUsed bytes of heap in use
 * @param heapMax the heap's limit in bytes, or -1 when undefined
 * @param heapUsedAfterCollection bytes of heap in use after the last collection, or -1 before the
 * first
 */
public record Heartbeat(long heapUsed, long heapMax, long heapUsedAfterCollection) {

}
