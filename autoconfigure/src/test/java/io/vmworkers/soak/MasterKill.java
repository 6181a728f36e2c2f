package io.vmworkers.soak;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Kills a master with SIGKILL while its load runs, then checks that its workers exit and that its
 * {@code /dev/shm} entries go, each within a grace period (the workers notice the master's death by
 * the end of their stdin pipe, remove their channel files and the master's run directory, and exit).
 */
final class MasterKill {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

	/** How long the master's load runs before the kill. */
	private static final Duration UNDER_LOAD = Duration.ofSeconds(3);

	private static final Duration GRACE = Duration.ofSeconds(10);

	private MasterKill() {
	}

	/**
	 * What was seen.
	 * @param loaded whether the master got its load running
	 * @param workersAtKill worker processes of the master when it was killed
	 * @param workersLeft those still alive after the grace period
	 * @param workersGoneMillis how long the last took to exit, -1 when some did not
	 * @param shmLeft the master's {@code /dev/shm} entries left after the grace period
	 * @param shmGoneMillis how long until none was left, -1 when some were
	 */
	record Outcome(boolean loaded, int workersAtKill, int workersLeft, long workersGoneMillis, int shmLeft,
			long shmGoneMillis) {

		boolean clean() {
			return this.loaded && this.workersAtKill > 0 && this.workersLeft == 0 && this.shmLeft == 0;
		}

	}

	static Outcome run() throws IOException, InterruptedException {
		MasterProcess master = MasterProcess.start("victim");
		if (!master.awaitLoaded(START_TIMEOUT)) {
			master.kill();
			return new Outcome(false, 0, 0, -1, Leftovers.shmEntries(master.pid()).size(), -1);
		}
		TimeUnit.NANOSECONDS.sleep(UNDER_LOAD.toNanos());
		List<ProcessHandle> workers = Stream
			.concat(master.handle().children(), Leftovers.workerProcesses(master.pid()).stream().map(ProcessHandle::of)
				.flatMap(Optional::stream))
			.distinct()
			.toList();
		master.kill();
		long killedAt = System.nanoTime();
		CompletableFuture<?>[] exits = workers.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
		long workersGone = -1;
		try {
			CompletableFuture.allOf(exits).get(GRACE.toNanos(), TimeUnit.NANOSECONDS);
			workersGone = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException interrupted) {
				throw interrupted;
			}
		}
		int workersLeft = (int) workers.stream().filter(ProcessHandle::isAlive).count()
				+ (int) Leftovers.workerProcesses(master.pid())
					.stream()
					.filter((pid) -> workers.stream().noneMatch((worker) -> worker.pid() == pid))
					.count();
		long shmGone = awaitShmGone(master.pid(), killedAt);
		List<Path> shmLeft = Leftovers.shmEntries(master.pid());
		shmLeft.forEach((entry) -> System.out.println("left in /dev/shm by the killed master: " + entry));
		return new Outcome(true, workers.size(), workersLeft, workersGone, shmLeft.size(), shmGone);
	}

	/** Polls every tenth of a second: precise enough for a grace of seconds, and shorter than a WatchService. */
	private static long awaitShmGone(long masterPid, long killedAt) throws IOException, InterruptedException {
		long deadline = killedAt + GRACE.toNanos();
		while (!Leftovers.shmEntries(masterPid).isEmpty()) {
			if (System.nanoTime() > deadline) {
				return -1;
			}
			TimeUnit.MILLISECONDS.sleep(100);
		}
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
	}

}
