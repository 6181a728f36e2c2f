package io.vmworkers.benchmarks;

import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What tracing adds to a call: {@link TracedCalls} in a JVM of its own, with Brave on its class
 * path (the suite's other cases run without a tracer), its rounds' medians reported here.
 */
final class TracingCases {

	private static final Pattern ROUND = Pattern.compile("round \\d+ ([\\w-]+) p50 (\\d+) p99 (\\d+)");

	void run(Results results) throws Exception {
		Path jar = Path.of(System.getProperty("java.class.path").split(":")[0]);
		Path tracing = jar.toAbsolutePath().getParent().resolve("lib-tracing");
		if (!Files.isDirectory(tracing)) {
			results.add(Row.info("call inc(int) traced", "skipped: no " + tracing + " (run the suite from its jar)", "-",
					"-"));
			return;
		}
		Process process = new ProcessBuilder(ChildJvm.javaExecutable(), "-Xmx512m", "-cp",
				System.getProperty("java.class.path") + ":" + tracing + "/*", TracedCalls.class.getName())
			.redirectErrorStream(true)
			.start();
		process.getOutputStream().close();
		Map<String, List<Long>> medians = new LinkedHashMap<>();
		Map<String, List<Long>> tails = new LinkedHashMap<>();
		try (BufferedReader lines = process.inputReader()) {
			String line;
			while ((line = lines.readLine()) != null) {
				Matcher matcher = ROUND.matcher(line);
				if (matcher.find()) {
					medians.computeIfAbsent(matcher.group(1), (key) -> new ArrayList<>()).add(Long.valueOf(matcher.group(2)));
					tails.computeIfAbsent(matcher.group(1), (key) -> new ArrayList<>()).add(Long.valueOf(matcher.group(3)));
				}
			}
		}
		if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0 || !medians.containsKey("on-in-span")) {
			process.destroyForcibly();
			results.add(Row.info("call inc(int) traced", "failed: TracedCalls exited with "
					+ (process.isAlive() ? "a timeout" : process.exitValue()), "-", "-"));
			return;
		}
		results.add(row("call inc(int) outside any span, tracing on, median of round medians", "on", "off",
				"tracing off", medians, tails));
		results.add(row("call inc(int) inside a request's span, tracing on (a client and a server span more)",
				"on-in-span", "off-in-span", "the same span, tracing off", medians, tails));
		results.note("Tracing cases: two masters in one JVM with Brave on its class path (Spring Boot's"
				+ " auto-configuration, sampling 0.1, no reporter), one with vmworkers.tracing.enabled=false: the"
				+ " path of an application without a tracer; " + medians.get("off").size()
				+ " interleaved rounds of 200,000 calls each.");
	}

	private static Row row(String name, String contender, String reference, String referenceName,
			Map<String, List<Long>> medians, Map<String, List<Long>> tails) {
		double figure = middle(medians.get(contender));
		double base = middle(medians.get(reference));
		return Row.info(name, Units.nanos(figure) + " (p99 " + Units.nanos(middle(tails.get(contender))) + ")",
				referenceName + " " + Units.nanos(base) + " (p99 " + Units.nanos(middle(tails.get(reference))) + ")",
				Units.times(figure / base));
	}

	private static double middle(List<Long> values) {
		List<Long> sorted = new ArrayList<>(values);
		sorted.sort(null);
		return sorted.get(sorted.size() / 2);
	}

}
