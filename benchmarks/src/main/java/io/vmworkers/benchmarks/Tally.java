package io.vmworkers.benchmarks;

/**
 * Messages and bytes a worker's {@code @OnData} methods received, counted on its receiving thread
 * and read by a call, which the worker handles in order after them.
 */
final class Tally {

	private long messages;

	private long bytes;

	void add(long length) {
		this.messages++;
		this.bytes += length;
	}

	/**
	 * Returns the counts since the last call and starts again.
	 * @return messages, then bytes
	 */
	long[] take() {
		long[] counts = { this.messages, this.bytes };
		this.messages = 0;
		this.bytes = 0;
		return counts;
	}

}
