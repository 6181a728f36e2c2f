package io.vmworkers.it.pool;

/**
 * A replica's answer to a {@link Ping}.
 * @param sequence the ping's
 * @param pid the pid of the replica that received the ping
 */
public record Pong(int sequence, long pid) {

}
