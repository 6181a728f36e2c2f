package io.vmworkers.benchmarks;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs every case of the performance issue against its references in one run, prints one table,
 * and writes BENCHMARKS.md and BENCHMARKS.png next to the module's {@code target} folder, and
 * appends the judged rows to HISTORY.md there.
 * <p>
 * Arguments: {@code --quick} for short rounds while developing;
 * {@code --cases=calls,tcp,periodic,start,parallel,gc,pools,tracing} to run some groups only; {@code --out=DIR} for
 * another output folder; {@code --jdks=17,25} to run the whole suite once on each of these JDKs and write one report
 * (see {@link JdkRuns}).
 */
public final class BenchmarkSuite {

	/** How the documented run is built and started, from the repository's root. */
	private static final String BUILD = "./mvnw -q -B -DskipTests package -pl sample-app,benchmarks -am";

	private BenchmarkSuite() {
	}

	public static void main(String[] args) throws Exception {
		System.setProperty("java.awt.headless", "true");
		Plan plan = Arrays.asList(args).contains("--quick") ? Plan.QUICK : Plan.FULL;
		Path out = Path.of(option(args, "--out=", defaultOutput().toString()));
		String jdks = option(args, "--jdks=", null);
		if (jdks != null) {
			List<String> each = Arrays.stream(args)
				.filter((arg) -> !arg.startsWith("--jdks=") && !arg.startsWith("--out="))
				.toList();
			JdkRuns.run(Jdks.resolve(jdks), each, out, command());
			return;
		}
		boolean part = Arrays.asList(args).contains("--part");
		Path history = Path.of(option(args, "--history=", out.resolve("HISTORY.md").toString()));
		ZonedDateTime started = ZonedDateTime.now();
		String loadBefore = Machine.load();
		long start = System.nanoTime();
		System.out.println("vmworkers benchmarks: " + Machine.cores() + " cores, load " + loadBefore + ", "
				+ plan.rounds() + " rounds");
		Results results = new Results();
		Map<String, Group> groups = new LinkedHashMap<>();
		// The CPU-bound groups first: after the calls group's spinning peers the two cores are
		// seldom both free again for a while (measured: 2 threads of one JVM then fell to 1.5x).
		groups.put("parallel", () -> new ParallelCases(plan).run(results));
		groups.put("gc", () -> new GcCases(plan).run(results));
		groups.put("pools", () -> pools(plan, results));
		groups.put("calls", () -> calls(plan, results));
		groups.put("tcp", () -> new TcpCases(plan).run(results));
		groups.put("periodic", () -> new PeriodicCases(plan).run(results));
		groups.put("start", () -> new StartCases(plan).run(results));
		groups.put("tracing", () -> new TracingCases().run(results));
		List<String> chosen = List.of(option(args, "--cases=", String.join(",", groups.keySet())).split(","));
		for (Map.Entry<String, Group> group : groups.entrySet()) {
			if (chosen.contains(group.getKey())) {
				run(group.getKey(), group.getValue(), results);
			}
		}
		Report.print(results);
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		Files.createDirectories(out);
		Chart.write(out.resolve(JdkRuns.CHART), results.charts());
		Report.RunContext context = new Report.RunContext(command(), started, took.toSeconds() + " s", loadBefore,
				plan.rounds());
		int release = Runtime.version().feature();
		if (part) {
			Report.writeSection(out.resolve(JdkRuns.SECTION), results, context, "BENCHMARKS-java" + release + ".png");
			Files.write(out.resolve(JdkRuns.ROWS), results.rows().stream().map(Row::toLine).toList());
		}
		else {
			Report.writeMarkdown(out.resolve("BENCHMARKS.md"), results, context, JdkRuns.CHART);
		}
		History.append(history, results, started, String.join(",", chosen) + " (Java " + release + ")");
		System.out.println("\nTook " + took.toSeconds() + " s; load now " + Machine.load() + "; wrote " + out
				+ (part ? " (this JDK's part)" : "/BENCHMARKS.md and BENCHMARKS.png") + ", and appended to " + history);
	}

	private static String command() {
		return BUILD + " && " + ProcessHandle.current().info().commandLine().orElse("java ...");
	}

	/**
	 * Runs one group of cases; a group that fails gets a row saying so and the others still run,
	 * so that a broken case does not hide the rest of the figures.
	 */
	private static void run(String name, Group group, Results results) throws InterruptedException {
		// The previous group's garbage and compilations (a dozen application contexts for the start
		// cases) would otherwise be collected and compiled during this group's measurements.
		System.gc();
		Thread.sleep(SETTLE_MILLIS);
		String load = Machine.load();
		System.out.println("[" + name + "] load " + load);
		results.note("Load (/proc/loadavg) before the " + name + " cases: " + load);
		try {
			group.run();
		}
		catch (Exception ex) {
			failed(name, ex, results);
		}
	}

	private static void failed(String name, Exception ex, Results results) {
		ex.printStackTrace();
		String failure = ex.toString();
		results.add(Row.info(name + " cases FAILED (see the error output)",
				failure.substring(0, Math.min(failure.length(), 160)), "-", "-"));
	}

	/**
	 * Worker pools: the CPU-bound batch and the routing overhead share one master with a pool of one
	 * and a pool of two; the failover cases have a master of their own, and run even when the
	 * first part failed, as they do not depend on it.
	 */
	private static void pools(Plan plan, Results results) throws Exception {
		try {
			new PoolCases(plan).run(results);
		}
		catch (Exception ex) {
			failed("pools (batch, routing)", ex, results);
		}
		new FailoverCases(plan).run(results);
	}

	/**
	 * The call, stream and idle cases share one master with one worker and the peers; a second,
	 * idle master started first has settled by the time the idle cases measure it.
	 */
	private static void calls(Plan plan, Results results) throws Exception {
		try (IdleCases.IdleMasterJvm idleMaster = IdleCases.startIdleMaster();
				Peers peers = Peers.start(Path.of("/dev/shm"));
				ConfigurableApplicationContext context = Masters.start(BenchmarkApplication.CALLS)) {
			EchoTask echo = context.getBean(EchoTask.class);
			WorkerHandle worker = context.getBean(VmDispatcher.class).worker("echoTask");
			new CallCases(plan, peers, echo, worker.channel(), worker.pid()).run(results);
			new StreamCases(plan, peers, echo, worker.channel()).run(results);
			new IdleCases(plan, peers, echo, worker.pid(), idleMaster).run(results);
		}
	}

	/** A group of cases. */
	@FunctionalInterface
	private interface Group {

		void run() throws Exception;

	}

	private static final long SETTLE_MILLIS = 3_000;

	private static String option(String[] args, String prefix, String otherwise) {
		return Arrays.stream(args)
			.filter((arg) -> arg.startsWith(prefix))
			.map((arg) -> arg.substring(prefix.length()))
			.findFirst()
			.orElse(otherwise);
	}

	/** The module's folder when running from its target folder (jar or classes), else the current one. */
	private static Path defaultOutput() throws URISyntaxException {
		Path code = Path.of(BenchmarkSuite.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		for (Path folder = code; folder != null; folder = folder.getParent()) {
			if (folder.getFileName() != null && folder.getFileName().toString().equals("target")) {
				return folder.getParent();
			}
		}
		return Path.of("");
	}

}
