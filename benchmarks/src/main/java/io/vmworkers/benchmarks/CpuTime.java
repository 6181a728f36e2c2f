package io.vmworkers.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Time on CPU of each thread of a process, from {@code /proc/<pid>/task/<tid>/schedstat} (its first
 * field is the nanoseconds the thread has run). Two snapshots give the CPU a process and each of
 * its threads used in between: which threads spin, which sleep.
 */
final class CpuTime {

	private final long pid;

	private final long takenAt;

	/** By thread id: the thread's name and its nanoseconds on CPU. */
	private final Map<Long, ThreadTime> threads;

	private CpuTime(long pid, long takenAt, Map<Long, ThreadTime> threads) {
		this.pid = pid;
		this.takenAt = takenAt;
		this.threads = threads;
	}

	/**
	 * Reads every thread of a process now.
	 * @param pid the process
	 * @return the snapshot
	 */
	static CpuTime of(long pid) {
		Map<Long, ThreadTime> threads = new LinkedHashMap<>();
		Path tasks = Path.of("/proc", Long.toString(pid), "task");
		try (Stream<Path> list = Files.list(tasks)) {
			for (Path task : (Iterable<Path>) list::iterator) {
				readThread(task).ifPresent((time) -> threads.put(Long.parseLong(task.getFileName().toString()), time));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + tasks, ex);
		}
		return new CpuTime(pid, System.nanoTime(), threads);
	}

	private static Optional<ThreadTime> readThread(Path task) {
		try {
			String name = Files.readString(task.resolve("comm")).strip();
			if (name.equals("java")) {
				// The JVM names its threads for the kernel, except the launcher's, one of which runs main.
				name = "java (main)";
			}
			String schedstat = Files.readString(task.resolve("schedstat"));
			return Optional.of(new ThreadTime(name, Long.parseLong(schedstat.split(" ")[0])));
		}
		catch (NoSuchFileException ex) {
			// The thread ended between the listing and the read.
			return Optional.empty();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Returns the CPU used from {@code earlier} to this snapshot, as a share of one core.
	 * @param earlier an earlier snapshot of the same process
	 * @return for example 0.01 for 1 % of a core
	 */
	double coreShareSince(CpuTime earlier) {
		return busiestSince(earlier).stream().mapToDouble(ThreadShare::share).sum();
	}

	/**
	 * Returns each thread's CPU from {@code earlier} to this snapshot, busiest first; threads that
	 * ended in between are missing, threads that started count from zero.
	 * @param earlier an earlier snapshot of the same process
	 * @return the threads with their share of one core
	 */
	List<ThreadShare> busiestSince(CpuTime earlier) {
		if (earlier.pid != this.pid) {
			throw new IllegalArgumentException("snapshots of two processes: " + earlier.pid + ", " + this.pid);
		}
		double wall = this.takenAt - earlier.takenAt;
		List<ThreadShare> shares = new ArrayList<>();
		this.threads.forEach((tid, now) -> {
			ThreadTime before = earlier.threads.get(tid);
			long used = now.nanos() - ((before != null) ? before.nanos() : 0);
			shares.add(new ThreadShare(now.name(), used / wall));
		});
		shares.sort(Comparator.comparingDouble(ThreadShare::share).reversed());
		return shares;
	}

	private record ThreadTime(String name, long nanos) {
	}

	/**
	 * One thread's use of the CPU over a period.
	 * @param name the thread's name (as the kernel has it: at most 15 characters)
	 * @param share its time on CPU over the period's length: 1 for a whole core
	 */
	record ThreadShare(String name, double share) {
	}

}
