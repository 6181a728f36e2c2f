package io.vmworkers.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Which threads of which processes were on a CPU while something ran, averaged over every time it
 * ran: on two cores, each thread that spins during a round trip takes a core from another.
 */
final class BusyThreads {

	private final Map<String, Long> processes;

	/** Threads below this share of the wall time are left out of the summary. */
	private final double shown;

	private final Map<String, Double> cpuNanos = new LinkedHashMap<>();

	private long wallNanos;

	/**
	 * Watches some processes.
	 * @param processes pids by the name the summary gives them
	 * @param shown the smallest share of a core a thread needs to be named in the summary
	 */
	BusyThreads(Map<String, Long> processes, double shown) {
		this.processes = processes;
		this.shown = shown;
	}

	/**
	 * Runs {@code body} and adds the CPU each thread of the watched processes used meanwhile.
	 * @param <T> the body's result type
	 * @param body what to watch
	 * @return the body's result
	 * @throws Exception what the body threw
	 */
	<T> T watch(Callable<T> body) throws Exception {
		Map<String, CpuTime> before = snapshot();
		long start = System.nanoTime();
		T result = body.call();
		long wall = System.nanoTime() - start;
		Map<String, CpuTime> after = snapshot();
		this.wallNanos += wall;
		after.forEach((process, now) -> now.busiestSince(before.get(process))
			.forEach((thread) -> this.cpuNanos.merge(process + ": " + thread.name(), thread.share() * wall,
					Double::sum)));
		return result;
	}

	private Map<String, CpuTime> snapshot() {
		Map<String, CpuTime> snapshots = new LinkedHashMap<>();
		this.processes.forEach((name, pid) -> snapshots.put(name, CpuTime.of(pid)));
		return snapshots;
	}

	/**
	 * Returns the busy threads, busiest first, for example
	 * {@code "master: java (main) 98%, worker: vmworkers-echoT 97%"} (the kernel keeps 15
	 * characters of a thread's name).
	 * @return the summary
	 */
	String summary() {
		return this.cpuNanos.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() / this.wallNanos >= this.shown)
			.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
			.map((entry) -> entry.getKey() + " " + Units.format("%.2f%%", 100 * entry.getValue() / this.wallNanos))
			.collect(Collectors.joining(", "));
	}

}
