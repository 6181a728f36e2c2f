package io.vmworkers.dispatch.master;

import java.time.Duration;

import io.vmworkers.dispatch.WorkerDiedException;
import io.vmworkers.dispatch.WorkerSettings;
import io.vmworkers.dispatch.WorkerStartupException;
import io.vmworkers.process.WorkerProcess;
import io.vmworkers.protocol.Frames;
import io.vmworkers.protocol.Link;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Ends a worker process: asks it to stop, within the shutdown timeout, then terminates it; and,
 * whether it was stopped or died, fails what still waits for it and removes its channel files.
 */
final class ProcessEnding {

	private static final Log logger = LogFactory.getLog(ProcessEnding.class);

	/** After SIGTERM, how long before SIGKILL. */
	private static final Duration TERMINATE_GRACE = Duration.ofMillis(500);

	private final WorkerPool pool;

	ProcessEnding(WorkerPool pool) {
		this.pool = pool;
	}

	/**
	 * Asks a process to stop (CLOSE over its channel, else end-of-file on its stdin) and waits for
	 * it, then terminates and finally kills it; one deadline for asking and waiting, so that a
	 * worker that stopped reading (a full ring) does not make the stop take longer than the
	 * shutdown timeout. Then {@link #finish finishes} it.
	 * @param stopping the process, whose stop the caller has requested
	 * @param place how the log names it, for example {@code worker 'echo' replica 2}
	 * @return whether it has exited
	 */
	boolean stop(ProcessConnection stopping, String place) {
		WorkerProcess process = stopping.process();
		Link link = stopping.link();
		WorkerSettings settings = this.pool.settings();
		if (process != null) {
			long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
			boolean asked = false;
			if (link != null && link.isOpen() && process.isAlive()) {
				try {
					link.send(Frames.CLOSE, 0L, null, settings.shutdownTimeout().toNanos());
					asked = true;
				}
				catch (RuntimeException ex) {
					// The worker cannot be asked over the channel; end-of-file on its stdin asks instead.
				}
			}
			if (!asked) {
				process.closeInput();
			}
			if (!process.awaitExit(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
				logger.warn(Describe.capitalized(place) + " (pid " + process.pid() + ") did not stop within "
						+ settings.shutdownTimeout() + " (vmworkers.shutdown-timeout); terminating it");
				process.closeInput();
				if (!process.terminate(TERMINATE_GRACE)) {
					logger.error(Describe.capitalized(place) + " (pid " + process.pid() + ") survived SIGKILL");
				}
			}
		}
		finish(stopping);
		return process != null && !process.isAlive();
	}

	/**
	 * Fails what still waits for a process, then closes its channel and removes its files.
	 * @param finished a process that exited or is being stopped
	 */
	void finish(ProcessConnection finished) {
		WorkerProcess process = finished.process();
		String name = this.pool.name();
		// First: callers waiting on a dead process are what a failover waits for.
		if (finished.hasPending()) {
			String message = "worker '" + name + "' " + ((process != null) ? "(pid " + process.pid() + ") " : "")
					+ (finished.exited() ? "died with " + process.describeExit() : "was stopped")
					+ " before answering; the call may have executed"
					+ (finished.exited() ? Describe.process(process) : "");
			finished.failPending(new WorkerDiedException(name, (process != null) ? process.pid() : -1,
					(process != null) ? process.exitCode() : -1, message));
		}
		finished.ready().completeExceptionally(new WorkerStartupException(name,
				"worker '" + name + "' stopped before it was ready" + Describe.process(process), null));
		Link link = finished.link();
		if (link != null) {
			link.close();
			link.deleteFiles();
		}
		WorkerLauncher.Launched launched = finished.launched();
		if (launched != null) {
			launched.deleteArgumentFile();
			launched.finishSharing(name, finished.readyAt() != null);
			// The stdin pipe is the only stream nobody closes when a process dies on its own.
			launched.process().closeInput();
		}
	}

}
