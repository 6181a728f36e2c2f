package io.vmworkers.soak;

/**
 * A thread of the soak's load on one worker, which tells the {@link Watchdog} each time it completes
 * something (a call answered or failed, a put done).
 */
abstract class SoakThread extends Thread {

	private static final long PAUSE_AFTER_FAILURE_MILLIS = 10;

	private final String worker;

	private volatile boolean running = true;

	private volatile long lastProgressNanos = System.nanoTime();

	SoakThread(String name, String worker) {
		super(name);
		this.worker = worker;
		setDaemon(true);
	}

	String worker() {
		return this.worker;
	}

	long lastProgressNanos() {
		return this.lastProgressNanos;
	}

	boolean running() {
		return this.running;
	}

	void finish() {
		this.running = false;
	}

	/**
	 * Pauses after a failed call or put: a worker that is stopping or restarting refuses at once,
	 * and without a pause the counts would measure how fast a loop spins.
	 */
	protected void pauseAfterFailure() {
		try {
			Thread.sleep(PAUSE_AFTER_FAILURE_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			finish();
		}
	}

	protected void progressed() {
		this.lastProgressNanos = System.nanoTime();
	}

}
