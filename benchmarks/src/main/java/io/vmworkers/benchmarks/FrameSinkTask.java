package io.vmworkers.benchmarks;

import java.nio.ByteBuffer;

import io.vmworkers.annotation.OnData;
import io.vmworkers.annotation.WorkerTask;

import org.springframework.context.annotation.Profile;

/**
 * The worker of the stream case whose {@code @OnData} method takes byte arrays as a
 * {@link ByteBuffer} view: it counts them, as {@link EchoTask} counts the
 * arrays it gets.
 */
@WorkerTask
@Profile(BenchmarkApplication.FRAMES)
public class FrameSinkTask {

	private final Tally tally = new Tally();

	/**
	 * Returns the messages and bytes received since the last call, and starts counting again.
	 * @return messages, then payload bytes
	 */
	public long[] received() {
		return this.tally.take();
	}

	@OnData
	void onFrame(ByteBuffer frame) {
		this.tally.add(frame.remaining());
	}

}
