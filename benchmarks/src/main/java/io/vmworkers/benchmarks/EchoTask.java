package io.vmworkers.benchmarks;

import io.vmworkers.annotation.OnData;
import io.vmworkers.annotation.WorkerTask;
import io.vmworkers.channel.WorkerChannel;

import org.springframework.context.annotation.Profile;

/**
 * The worker of the call, ping-pong and stream cases. Integers put by the master are answered with
 * {@code n + 1} (the seed's ping-pong) or only counted (a one-way stream), as {@link #echo} says;
 * byte arrays are counted.
 */
@WorkerTask
@Profile(BenchmarkApplication.CALLS)
public class EchoTask {

	private final WorkerChannel channel;

	/**
	 * Data handlers and calls run one at a time on the worker's receiving thread, in arrival
	 * order, but a long call may move the reading to another thread: volatile to be safe.
	 */
	private volatile boolean echo = true;

	private final Tally tally = new Tally();

	EchoTask(WorkerChannel channel) {
		this.channel = channel;
	}

	/**
	 * The call of the round-trip case.
	 * @param value a number
	 * @return the next one
	 */
	public int inc(int value) {
		return value + 1;
	}

	/**
	 * Chooses between answering each Integer (ping-pong) and counting them (stream).
	 * @param echo true to answer
	 */
	public void echo(boolean echo) {
		this.echo = echo;
	}

	/**
	 * Returns the messages and bytes received since the last call, and starts counting again.
	 * Calls and data are handled in order, so this answers after everything put before it.
	 * @return messages, then payload bytes
	 */
	public long[] received() {
		return this.tally.take();
	}

	@OnData
	void onInteger(Integer value) {
		if (this.echo) {
			this.channel.put(value + 1);
		}
		else {
			this.tally.add(Integer.BYTES);
		}
	}

	@OnData
	void onBytes(byte[] block) {
		this.tally.add(block.length);
	}

}
