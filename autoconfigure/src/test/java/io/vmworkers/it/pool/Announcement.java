package io.vmworkers.it.pool;

/**
 * What a replica puts on its channel when asked to announce itself.
 * @param pid the replica's pid
 * @param sequence counts the announcements of that process, from 1
 */
public record Announcement(long pid, long sequence) {

}
