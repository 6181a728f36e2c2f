package io.vmworkers.dispatch;

/**
 * Counts of what went through a worker's channel, as the master saw it.
 * @param messagesToWorker messages the master put or sent as calls
 * @param bytesToWorker payload bytes of those messages
 * @param messagesFromWorker messages the master received
 * @param bytesFromWorker payload bytes of those messages
 * @param callsCompleted calls that returned or threw
 * @param callsFailed calls that threw, timed out or lost their worker
 * @param wakeUpsOfWorker times the master woke the worker from its sleep to read what it sent: each a
 * scheduler wake-up before the worker read it (see {@code vmworkers.workers.<name>.idle})
 * @param bytesWaitingToWorker bytes written to the worker and not yet read
 * @param bytesWaitingFromWorker bytes the worker wrote and the master has not yet read
 * @param capacity each ring's capacity in bytes
 */
public record ChannelStatistics(long messagesToWorker, long bytesToWorker, long messagesFromWorker,
		long bytesFromWorker, long callsCompleted, long callsFailed, long wakeUpsOfWorker, long bytesWaitingToWorker,
		long bytesWaitingFromWorker, int capacity) {

}
