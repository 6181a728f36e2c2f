package io.vmworkers.soak;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerState;

/**
 * Reports a soak thread that stopped making progress: no call or put completed for {@code limit}
 * while its worker was ready the whole time (waiting for a restarting worker is not being stuck).
 * Each stuck thread is reported once, with its stack trace, and counts as a failure.
 */
final class Watchdog extends Thread {

	private static final long CHECK_MILLIS = 250;

	private final List<SoakThread> threads;

	private final VmDispatcher dispatcher;

	private final long limitNanos;

	/** When each worker was last seen not ready. */
	private final Map<String, Long> notReadyAt = new ConcurrentHashMap<>();

	private final Set<SoakThread> reported = ConcurrentHashMap.newKeySet();

	private volatile boolean running = true;

	Watchdog(List<SoakThread> threads, VmDispatcher dispatcher, Duration limit) {
		super("soak-watchdog");
		setDaemon(true);
		this.threads = threads;
		this.dispatcher = dispatcher;
		this.limitNanos = limit.toNanos();
	}

	@Override
	public void run() {
		while (this.running) {
			check();
			try {
				TimeUnit.MILLISECONDS.sleep(CHECK_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/**
	 * Checks every thread now; also called once more after the load stopped, for threads that did
	 * not end.
	 */
	void check() {
		long now = System.nanoTime();
		this.dispatcher.workers().forEach((worker) -> {
			if (worker.state() != WorkerState.READY) {
				this.notReadyAt.put(worker.name(), now);
			}
		});
		for (SoakThread thread : this.threads) {
			long since = Math.max(thread.lastProgressNanos(), this.notReadyAt.getOrDefault(thread.worker(), 0L));
			if (thread.isAlive() && now - since > this.limitNanos && this.reported.add(thread)) {
				report(thread, now - thread.lastProgressNanos());
			}
		}
	}

	private void report(SoakThread thread, long idleNanos) {
		StringBuilder message = new StringBuilder();
		message.append("STUCK: ")
			.append(thread.getName())
			.append(" completed nothing for ")
			.append(TimeUnit.NANOSECONDS.toSeconds(idleNanos))
			.append(" s while worker '")
			.append(thread.worker())
			.append("' was ready; its stack:\n");
		for (StackTraceElement element : thread.getStackTrace()) {
			message.append("\tat ").append(element).append('\n');
		}
		System.out.print(message);
		System.out.flush();
	}

	int stuck() {
		return this.reported.size();
	}

	void finish() {
		this.running = false;
	}

}
