package io.vmworkers.soak;

import io.vmworkers.channel.WorkerChannel;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;

/**
 * Puts {@link Chunk}s to one worker as fast as the channel takes them; the worker's {@link Receipt}s
 * are counted in the same {@link StreamTally}.
 */
final class ToWorkerStream extends SoakThread {

	private static final long PID = ProcessHandle.current().pid();

	private final WorkerChannel channel;

	private final StreamTally tally;

	private final Disruptions disruptions;

	private final WorkerHandle worker;

	ToWorkerStream(WorkerHandle worker, StreamTally tally, Disruptions disruptions) {
		super("soak-stream-to-" + worker.name(), worker.name());
		this.worker = worker;
		this.channel = worker.channel();
		this.tally = tally;
		this.disruptions = disruptions;
	}

	@Override
	public void run() {
		for (long seq = 0; running(); seq++) {
			Chunk chunk = Chunk.of(seq, PID);
			long start = System.nanoTime();
			long pid = this.worker.pid();
			try {
				this.channel.put(chunk);
			}
			catch (RuntimeException ex) {
				// Counted as sent all the same: whether it went out before the failure is unknown.
				boolean down = this.worker.state() != WorkerState.READY || this.worker.pid() != pid;
				this.tally.sendFailed(this.disruptions.overlaps(worker(), start, System.nanoTime()), down, ex);
				pauseAfterFailure();
			}
			this.tally.sent(1);
			progressed();
		}
	}

}
