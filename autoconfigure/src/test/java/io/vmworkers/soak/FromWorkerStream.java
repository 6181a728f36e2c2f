package io.vmworkers.soak;

import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;

/**
 * Has one worker put {@link Chunk}s to the master, a batch per {@link SoakTask#emit} call; the
 * master's {@code @OnData} handler counts them in the {@link StreamTally}.
 */
final class FromWorkerStream extends SoakThread {

	private static final int BATCH = 8;

	private final SoakTask task;

	private final StreamTally tally;

	private final Disruptions disruptions;

	private final WorkerHandle worker;

	FromWorkerStream(WorkerHandle worker, SoakTask task, StreamTally tally, Disruptions disruptions) {
		super("soak-stream-from-" + worker.name(), worker.name());
		this.worker = worker;
		this.task = task;
		this.tally = tally;
		this.disruptions = disruptions;
	}

	@Override
	public void run() {
		for (long seq = 0; running(); seq += BATCH) {
			long start = System.nanoTime();
			long pid = this.worker.pid();
			try {
				this.task.emit(seq, BATCH);
			}
			catch (RuntimeException ex) {
				boolean down = this.worker.state() != WorkerState.READY || this.worker.pid() != pid;
				this.tally.sendFailed(this.disruptions.overlaps(worker(), start, System.nanoTime()), down, ex);
				pauseAfterFailure();
			}
			this.tally.sent(BATCH);
			progressed();
		}
	}

}
