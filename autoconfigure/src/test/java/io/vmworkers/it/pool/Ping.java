package io.vmworkers.it.pool;

/**
 * Put by the master; the replica that receives it answers with a {@link Pong}.
 * @param sequence chosen by the master
 */
public record Ping(int sequence) {

}
