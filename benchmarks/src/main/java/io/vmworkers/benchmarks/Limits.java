package io.vmworkers.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What stands in the way of each target the suite may miss, as found by the profiles in
 * docs/performance.md: a report lists it under the rows that missed, so that a "NO" never stands
 * without its reason.
 */
final class Limits {

	private static final String DOCS = "../docs/performance.md#";

	/** By the start of a row's name; the first that matches explains it. */
	private static final Map<String, String> WHY = new LinkedHashMap<>();

	static {
		WHY.put("first call after", "the host's wake-up of a sleeping thread, not vmworkers' path: two warm JVMs"
				+ " take 85-91 us over a bare futex after 10 ms where two C processes take 35-40 us, and the path,"
				+ " 1.5 us in a loop, runs cold (caches and TLBs shared with the host) [profile](" + DOCS
				+ "the-first-call-after-a-silence)");
		WHY.put("1 kHz caller", "a sleeping worker pays the host's wake-up on every call (40-70 us here); a worker"
				+ " that spins through the period answers in 6-9 us but uses a whole core, and one that wakes itself"
				+ " just before the call is due shares the caller's vCPU on this host [profile](" + DOCS
				+ "periodic-callers)");
		WHY.put("start:", "Boot's own start on two cores: in a restart of a task-context worker, 1.1 s of its main"
				+ " thread are commons-logging's discovery and Logback's first configuration (0.2 s), Boot's"
				+ " environment (0.34 s) and the context's refresh (0.25 s), while its JIT threads use 1.9 s of CPU"
				+ " [profile](" + DOCS + "start-up-time)");
		WHY.put("restart:", "without spares a restart is a JVM's start per replica [profile](" + DOCS
				+ "start-up-time); ready spares make it a hand-over");
		WHY.put("GC isolation", "unpinned, the worker's collector threads share the master's two vCPUs; pinned with"
				+ " vmworkers.workers.<name>.cpus the target is met [details](" + DOCS
				+ "a-workers-garbage-collection-unpinned)");
		WHY.put("call inc(int) round trip, p99", "unpinned, the host packs the caller and the worker's reader onto"
				+ " one vCPU now and then; pinned, the target is met [details](" + DOCS + "the-tail-of-a-call-unpinned)");
		WHY.put("idle worker CPU", "the JVM's own periodic threads and the heartbeat's wake-ups, about 0.2 ms of CPU"
				+ " each on this VM [details](" + DOCS + "figures)");
		WHY.put("parallel:", "one thread's time for the job moves by up to a third within a run on this shared host;"
				+ " compare with the two threads of one JVM in the same row [details](" + DOCS + "figures)");
		WHY.put("pools: CPU-bound", "as the parallel row: two busy JVMs on a shared two-vCPU host [details](" + DOCS
				+ "figures)");
		WHY.put("stream put(byte[65536])", "since back-pressure, a handler gets an array of its own: one copy more"
				+ " than the raw ring [details](" + DOCS + "figures)");
	}

	private Limits() {
	}

	/**
	 * Explains a row that missed its target.
	 * @param row the row
	 * @return what stands in the way, with a link to its profile
	 */
	static String why(Row row) {
		return WHY.entrySet()
			.stream()
			.filter((entry) -> row.name().startsWith(entry.getKey()))
			.map(Map.Entry::getValue)
			.findFirst()
			.orElse("a reference disturbed by the shared host, most often: compare the rows of HISTORY.md [limits]("
					+ DOCS + "limits)");
	}

	/**
	 * Writes the section that explains the missed rows, or nothing when every target was met.
	 * @param md where
	 * @param missed the rows that missed, each with the JDKs it missed on (empty in a run on one JDK)
	 * @param heading the section's heading marks, {@code ##} or {@code ###}
	 */
	static void write(StringBuilder md, Map<Row, List<String>> missed, String heading) {
		if (missed.isEmpty()) {
			return;
		}
		md.append(heading).append(" What stands in the way\n\n");
		missed.forEach((row, jdks) -> md.append("- ")
			.append(row.name())
			.append(jdks.isEmpty() ? "" : " (" + String.join(", ", jdks) + ")")
			.append(": ")
			.append(why(row))
			.append('\n'));
		md.append('\n');
	}

}
