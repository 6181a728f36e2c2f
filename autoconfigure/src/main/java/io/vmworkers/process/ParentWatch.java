package io.vmworkers.process;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs an action once when the master of this worker is gone.
 * <p>
 * Two signals, so that neither a {@code kill -9} nor pid reuse fools it: end-of-file on stdin (the
 * master holds the other end of the pipe, and the kernel closes it however the master dies), and a
 * periodic check that the master's pid is alive with the start it had, in the kernel's clock ticks
 * (see {@link ProcessStart}; a start read from the wall clock would call a live master gone after
 * a clock step).
 */
public final class ParentWatch {

	/** The pipe is the prompt signal; the pid check is the backstop, so it can be slow. */
	private static final long CHECK_INTERVAL_MILLIS = 1000;

	private final long masterPid;

	private final Long masterStartTicks;

	private final Runnable onMasterGone;

	private final AtomicBoolean fired = new AtomicBoolean();

	private ParentWatch(long masterPid, Long masterStartTicks, Runnable onMasterGone) {
		this.masterPid = masterPid;
		this.masterStartTicks = masterStartTicks;
		this.onMasterGone = onMasterGone;
	}

	/**
	 * Starts watching.
	 * @param masterPid the master's pid
	 * @param masterStartTicks the master's start in clock ticks since boot, as
	 * {@link ProcessStart#ticks(long)} reads it, or null when unknown
	 * @param input the stream whose end means the master is gone, normally {@code System.in}
	 * @param onMasterGone what to do, run at most once
	 * @return the watch
	 */
	public static ParentWatch start(long masterPid, Long masterStartTicks, InputStream input, Runnable onMasterGone) {
		ParentWatch watch = new ParentWatch(masterPid, masterStartTicks, onMasterGone);
		daemon("vmworkers-master-pipe", () -> watch.watchPipe(input));
		daemon("vmworkers-master-pid", watch::watchPid);
		return watch;
	}

	private static void daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
	}

	private void watchPipe(InputStream input) {
		byte[] buffer = new byte[256];
		try {
			while (input.read(buffer) >= 0) {
				// The master never writes; anything read is ignored.
			}
		}
		catch (IOException ex) {
			// A broken pipe means the same as end-of-file.
		}
		fire();
	}

	private void watchPid() {
		// Checked once against the start time the master gave; then its handle, which the JDK ties
		// to that process's start time, so that a reused pid does not pass for it. Reading the
		// start time anew each second cost an idle worker as much as its heartbeat.
		Optional<ProcessHandle> master = isMasterAlive() ? ProcessHandle.of(this.masterPid) : Optional.empty();
		while (!this.fired.get()) {
			if (master.isEmpty() || !master.get().isAlive()) {
				fire();
				return;
			}
			try {
				TimeUnit.MILLISECONDS.sleep(CHECK_INTERVAL_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	boolean isMasterAlive() {
		Optional<ProcessHandle> master = ProcessHandle.of(this.masterPid);
		if (master.isEmpty() || !master.get().isAlive()) {
			return false;
		}
		if (this.masterStartTicks == null) {
			return true;
		}
		// A different start means the pid was reused by another process; an unknown one proves
		// nothing, so the live pid is taken for the master.
		OptionalLong start = ProcessStart.ticks(this.masterPid);
		return start.isEmpty() || start.getAsLong() == this.masterStartTicks;
	}

	private void fire() {
		if (this.fired.compareAndSet(false, true)) {
			this.onMasterGone.run();
		}
	}

}
