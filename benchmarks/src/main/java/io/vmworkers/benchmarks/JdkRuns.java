package io.vmworkers.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the suite on several JDKs in one command ({@code --jdks=17,25}): the whole suite once per JDK,
 * one after the other, each in a JVM of that JDK (its masters, workers and peers then run on it
 * too), and one BENCHMARKS.md with the targets side by side, what stands in the way of those
 * missed, and each JDK's full table. Each JDK's run appends its rows to HISTORY.md.
 */
final class JdkRuns {

	/** What each JDK's run writes into its folder for the combined report. */
	static final String SECTION = "section.md";

	static final String ROWS = "rows.tsv";

	static final String CHART = "BENCHMARKS.png";

	private JdkRuns() {
	}

	/**
	 * Runs the suite on each JDK and writes the combined BENCHMARKS.md.
	 * @param jdks the {@code java} executables by release
	 * @param suiteArguments the arguments for each run ({@code --cases}, {@code --quick})
	 * @param out where BENCHMARKS.md, its charts and HISTORY.md go
	 * @param command the command that ran the suite, for the report
	 */
	static void run(Map<Integer, Path> jdks, List<String> suiteArguments, Path out, String command)
			throws IOException, InterruptedException {
		ZonedDateTime started = ZonedDateTime.now();
		long start = System.nanoTime();
		Path parts = out.resolve(Files.isDirectory(out.resolve("target")) ? "target/jdk-runs" : "jdk-runs");
		Map<Integer, Part> done = new LinkedHashMap<>();
		for (Map.Entry<Integer, Path> jdk : jdks.entrySet()) {
			Path folder = parts.resolve("java" + jdk.getKey());
			Files.createDirectories(folder);
			Files.deleteIfExists(folder.resolve(SECTION));
			Files.deleteIfExists(folder.resolve(ROWS));
			List<String> child = new ArrayList<>(List.of(jdk.getValue().toString(), "-Xmx512m", "-cp",
					System.getProperty("java.class.path"), BenchmarkSuite.class.getName()));
			child.addAll(suiteArguments);
			child.addAll(List.of("--out=" + folder, "--history=" + out.resolve("HISTORY.md"), "--part"));
			System.out.println("\n=== Java " + jdk.getKey() + ": " + jdk.getValue() + " ===");
			int exit = new ProcessBuilder(child).inheritIO().start().waitFor();
			String chart = "BENCHMARKS-java" + jdk.getKey() + ".png";
			if (Files.exists(folder.resolve(CHART))) {
				Files.copy(folder.resolve(CHART), out.resolve(chart), StandardCopyOption.REPLACE_EXISTING);
			}
			done.put(jdk.getKey(), Part.read(folder, exit));
		}
		Files.writeString(out.resolve("BENCHMARKS.md"), markdown(done, command, started,
				Duration.ofNanos(System.nanoTime() - start)));
		System.out.println("\nWrote " + out.resolve("BENCHMARKS.md") + " for Java " + jdks.keySet());
	}

	private static String markdown(Map<Integer, Part> parts, String command, ZonedDateTime started, Duration took) {
		StringBuilder md = new StringBuilder();
		md.append("# vmworkers benchmarks\n\n");
		md.append("Written by `io.vmworkers.benchmarks.BenchmarkSuite --jdks=...`: the whole suite on each JDK, one")
			.append(" after the other, in one command; see `benchmarks/README.md`. Only ratios within one JDK's run")
			.append(" mean anything: the machine is shared and its floor moves.\n\n");
		md.append("- command: `").append(command).append("`\n");
		md.append("- date: ").append(started.format(DateTimeFormatter.RFC_1123_DATE_TIME)).append('\n');
		md.append("- duration: ").append(took.toSeconds()).append(" s\n\n");
		md.append("## Targets\n\n");
		List<String> names = new ArrayList<>();
		parts.values().forEach((part) -> part.rows().stream()
			.filter((row) -> row.verdict() != Row.Verdict.NONE && !names.contains(row.name()))
			.forEach((row) -> names.add(row.name())));
		md.append("| case | target |");
		parts.keySet().forEach((release) -> md.append(" Java ").append(release).append(" | met? |"));
		md.append("\n| --- | --- |").append(" --- | --- |".repeat(parts.size())).append('\n');
		Map<Row, List<String>> missed = new LinkedHashMap<>();
		for (String name : names) {
			md.append("| ").append(Report.cell(name)).append(" | ");
			String target = null;
			StringBuilder cells = new StringBuilder();
			for (Map.Entry<Integer, Part> part : parts.entrySet()) {
				Optional<Row> row = part.getValue().row(name);
				if (row.isPresent() && target == null) {
					target = row.get().target();
				}
				cells.append(row.map(JdkRuns::brief).map(Report::cell).orElse("not run")).append(" | ")
					.append(row.map((found) -> found.verdict().toString()).orElse("-")).append(" | ");
				row.filter((found) -> found.verdict() == Row.Verdict.MISSED)
					.ifPresent((found) -> missed.computeIfAbsent(found, (key) -> new ArrayList<>())
						.add("Java " + part.getKey()));
			}
			md.append(Report.cell(target)).append(" | ").append(cells.toString().stripTrailing()).append('\n');
		}
		md.append('\n');
		Limits.write(md, mergeByName(missed), "##");
		parts.forEach((release, part) -> {
			md.append("## Java ").append(release).append("\n\n");
			md.append(part.section().orElse("The run on Java " + release + " wrote no results (exit code " + part.exit()
					+ "): see its output.\n"));
			md.append('\n');
		});
		return md.toString();
	}

	/** The same case missed on several JDKs is one entry naming them all. */
	private static Map<Row, List<String>> mergeByName(Map<Row, List<String>> missed) {
		Map<String, Row> first = new LinkedHashMap<>();
		Map<Row, List<String>> merged = new LinkedHashMap<>();
		missed.forEach((row, jdks) -> merged.computeIfAbsent(first.computeIfAbsent(row.name(), (name) -> row),
				(key) -> new ArrayList<>()).addAll(jdks));
		return merged;
	}

	/** The figure's first part (its median, without tail and spread) and the ratio judged. */
	private static String brief(Row row) {
		String figure = row.figure();
		int detail = figure.indexOf(" (");
		String median = (detail > 0) ? figure.substring(0, detail) : figure;
		return "-".equals(row.ratio()) ? median : median + " (" + row.ratio() + ")";
	}

	/**
	 * What one JDK's run handed back.
	 * @param rows its rows
	 * @param section its part of BENCHMARKS.md, if it finished
	 * @param exit its exit code
	 */
	private record Part(List<Row> rows, Optional<String> section, int exit) {

		static Part read(Path folder, int exit) throws IOException {
			Path rows = folder.resolve(ROWS);
			Path section = folder.resolve(SECTION);
			return new Part(Files.exists(rows) ? Files.readAllLines(rows).stream().map(Row::fromLine).toList() : List.of(),
					Files.exists(section) ? Optional.of(Files.readString(section)) : Optional.empty(), exit);
		}

		Optional<Row> row(String name) {
			return this.rows.stream().filter((row) -> row.name().equals(name)).findFirst();
		}

	}

}
