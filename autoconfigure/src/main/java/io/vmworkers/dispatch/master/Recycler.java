package io.vmworkers.dispatch.master;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.vmworkers.dispatch.Heartbeat;
import io.vmworkers.dispatch.PoolSettings;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Decides when a replica's healthy process is recycled ({@code recycle.max-calls},
 * {@code max-heap-used}, {@code max-age}) and has its place replace it, drain-then-replace, on a
 * thread of its own, one replacement at a time.
 */
final class Recycler {

	private static final Log logger = LogFactory.getLog(Recycler.class);

	private final WorkerPool pool;

	private final Replica replica;

	private final PoolSettings.Recycle limits;

	private final String property;

	private final AtomicBoolean scheduled = new AtomicBoolean();

	Recycler(WorkerPool pool, Replica replica) {
		this.pool = pool;
		this.replica = replica;
		this.limits = pool.poolSettings().recycle();
		this.property = "vmworkers.workers." + pool.name() + ".recycle.";
	}

	/**
	 * Has the current process recycled the moment it reaches {@code max-calls}.
	 * @param current the place's process
	 * @param calls how many calls it has answered
	 */
	void answered(ProcessConnection current, long calls) {
		if (this.limits.maxCalls() > 0 && calls == this.limits.maxCalls()) {
			schedule(maxCalls(calls), current);
		}
	}

	/**
	 * Has the current process recycled when it is past a limit; called by the periodic watch.
	 * Also for {@code max-calls}: a process that reached it while the one before it was still
	 * being replaced is replaced on the next watch.
	 * @param current the place's process
	 * @param now System.nanoTime()
	 */
	void check(ProcessConnection current, long now) {
		String reason = reason(current, now);
		if (reason != null) {
			schedule(reason, current);
		}
	}

	private String reason(ProcessConnection current, long now) {
		if (this.limits.maxCalls() > 0 && current.answered() >= this.limits.maxCalls()) {
			return maxCalls(current.answered());
		}
		// Counted from when it began to serve here: a spare's idle time before it took over is not age.
		long serving = Math.max(current.readyNanos(), this.replica.joinedNanos());
		if (!this.limits.maxAge().isZero() && current.readyNanos() != 0
				&& now - serving > this.limits.maxAge().toNanos()) {
			return "serving for " + Duration.ofNanos(now - serving).toSeconds() + " s (" + this.property + "max-age="
					+ this.limits.maxAge() + ")";
		}
		Heartbeat heartbeat = current.heartbeat();
		if (this.limits.maxHeapUsed() > 0 && heartbeat != null
				&& heartbeat.heapUsedAfterCollection() > this.limits.maxHeapUsed()) {
			return heartbeat.heapUsedAfterCollection() + " bytes of heap in use after a collection (" + this.property
					+ "max-heap-used=" + this.limits.maxHeapUsed() + "B)";
		}
		return null;
	}

	private String maxCalls(long calls) {
		return calls + " calls (" + this.property + "max-calls=" + this.limits.maxCalls() + ")";
	}

	/** Replaces {@code current}, unless it has been replaced by then (a restart came first). */
	private void schedule(String reason, ProcessConnection current) {
		if (!this.scheduled.compareAndSet(false, true)) {
			return;
		}
		Thread thread = new Thread(() -> {
			try {
				this.replica.replace(reason, current);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not recycle " + this.replica.describePlace() + ": " + ex.getMessage());
			}
			finally {
				this.scheduled.set(false);
			}
		}, "vmworkers-" + this.pool.name() + "-" + this.replica.index() + "-recycle");
		thread.setDaemon(true);
		thread.start();
	}

}
