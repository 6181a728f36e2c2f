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
		WHY.put("first call after", "vmworkers' path after the wake-up: the same futex wakes the raw ring's echo and"
				+ " the worker, and the call's path, 1.5 us in a loop, runs 3-5x slower after 10 ms of silence, its"
				+ " caches and TLBs cold (shared with the host) [profile](" + DOCS + "the-first-call-after-a-silence)");
		WHY.put("1 kHz caller: call inc(int) every 1 ms, median, idle=spin", "a spinning worker answers in 2-3 us but"
				+ " takes a whole core [profile](" + DOCS + "periodic-callers)");
		WHY.put("1 kHz caller: call inc(int) every 1 ms, median, idle=yield", "as idle=spin: a whole core"
				+ " [profile](" + DOCS + "periodic-callers)");
		WHY.put("1 kHz caller", "a worker that sleeps between calls pays a JVM thread's wake-up on each: the raw ring"
				+ " with its echo asleep takes 9-12 us at 1 kHz by itself (two C processes 4 us), and vmworkers' path,"
				+ " run cold after the caller's sleep, adds 6-9 us; it uses 2-4 % of a core, well under the 10 %"
				+ " [profile](" + DOCS + "periodic-callers)");
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
		WHY.put("stream put(Integer)", "the raw ring's 4-byte records move at 3-13 M msg/s as the host gives both ends a"
				+ " vCPU or not (13 M on Java 25 here); a put encodes each object with Kryo, which holds vmworkers at 3-4.6"
				+ " M msg/s [details](" + DOCS + "figures)");
		WHY.put("put/next ping-pong", "the raw ring's round trip was at its fastest (341 ns on Java 25); the"
				+ " ping-pong's encoding, decoding and delivery to @OnData add about 0.7 us [details](" + DOCS
				+ "figures)");
		WHY.put("call inc(int) vs Unix-domain socket", "the socket reference moves with the host more than the call:"
				+ " 7.5-38 us across runs, and a fast run leaves a 1.2-1.8 us call under 10x [details](" + DOCS
				+ "figures)");
		WHY.put("stream put(byte[65536])", "since back-pressure, a handler gets an array of its own: one copy more"
				+ " than the raw ring, whose own rate moves from 5 to 22 GB/s with the host [details](" + DOCS
				+ "figures)");
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
