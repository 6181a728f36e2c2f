package io.vmworkers.benchmarks;

/**
 * What a one-way stream moved.
 * @param messages messages read by the other side
 * @param bytes payload bytes read by the other side
 * @param nanos from the first send until the other side confirmed it had read everything
 */
record Throughput(long messages, long bytes, long nanos) {

	double messagesPerSecond() {
		return this.messages * 1e9 / this.nanos;
	}

	double bytesPerSecond() {
		return this.bytes * 1e9 / this.nanos;
	}

}
