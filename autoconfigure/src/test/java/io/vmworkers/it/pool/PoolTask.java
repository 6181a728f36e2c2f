package io.vmworkers.it.pool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import io.vmworkers.annotation.Idempotent;
import io.vmworkers.annotation.OnData;
import io.vmworkers.annotation.RoutingKey;
import io.vmworkers.annotation.WorkerTask;
import io.vmworkers.channel.WorkerChannel;

/**
 * A task whose methods answer with the pid of the replica that ran them. Two replicas unless a
 * test's properties say otherwise.
 */
@WorkerTask(replicas = 2)
public class PoolTask {

	/** What {@link #retainHeap(int)} keeps reachable, on the worker. */
	private static final List<byte[]> retained = new ArrayList<>();

	private final WorkerChannel channel;

	private long announcements;

	public PoolTask(WorkerChannel channel) {
		this.channel = channel;
	}

	public long pid() {
		return ProcessHandle.current().pid();
	}

	/** Sleeps first, so that calls from several threads overlap and the pool spreads them. */
	public long pidAfter(int millis) {
		pause(millis);
		return pid();
	}

	@Idempotent
	public long idempotentPidAfter(int millis) {
		pause(millis);
		return pid();
	}

	/**
	 * The first time (when the marker does not exist yet), writes this process's pid to the marker
	 * and sleeps; any later time, answers at once.
	 * @param marker a file that remembers the first attempt across processes
	 * @param millis how long the first attempt sleeps
	 * @return the pid of the process that answered
	 */
	@Idempotent
	public long pidOnceAfter(String marker, int millis) {
		Path file = Path.of(marker);
		if (Files.notExists(file)) {
			try {
				Path written = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"),
						Long.toString(pid()));
				// Whole or not at all: the test reads it as soon as it exists.
				Files.move(written, file, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			pause(millis);
		}
		return pid();
	}

	public long pidFor(@RoutingKey String key, int millis) {
		pause(millis);
		return pid();
	}

	/** Puts this process's pid on its channel, numbered in the order of its puts, then sleeps. */
	public void announce(int millis) {
		synchronized (this) {
			this.announcements++;
			this.channel.put(new Announcement(pid(), this.announcements));
		}
		pause(millis);
	}

	@OnData
	void ping(Ping ping) {
		this.channel.put(new Pong(ping.sequence(), pid()));
	}

	/**
	 * Keeps {@code megabytes} of heap reachable, then collects, so that the next heartbeat reports
	 * them as in use after a collection.
	 * @param megabytes how much to keep
	 * @return the pid
	 */
	public long retainHeap(int megabytes) {
		synchronized (retained) {
			for (int i = 0; i < megabytes; i++) {
				retained.add(new byte[1024 * 1024]);
			}
		}
		System.gc();
		return pid();
	}

	private static void pause(int millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

}
