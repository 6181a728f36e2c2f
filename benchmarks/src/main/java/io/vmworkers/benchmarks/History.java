package io.vmworkers.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

/**
 * Appends the judged rows of a run to HISTORY.md, one table row per case, so that figures across
 * runs are read from one table instead of prose: BENCHMARKS.md holds the latest run only.
 */
final class History {

	private static final String HEADER = """
			# vmworkers benchmark history

			Appended to by every run of `io.vmworkers.benchmarks.BenchmarkSuite` (see `README.md`): one row
			per judged case. Compare ratios, not absolute figures, across rows: the machine is shared and
			its floor moves between runs.

			| date (UTC) | commit | cases | case | vmworkers | reference | ratio | target | met? |
			| --- | --- | --- | --- | --- | --- | --- | --- | --- |
			""";

	private History() {
	}

	/**
	 * Appends a run's judged rows, creating the file with its header first if need be.
	 * @param file the history file
	 * @param results the run's results
	 * @param started when the run started
	 * @param cases the groups that ran, as given to {@code --cases}
	 * @throws IOException when the file cannot be written
	 */
	static void append(Path file, Results results, ZonedDateTime started, String cases) throws IOException {
		StringBuilder rows = new StringBuilder();
		if (!Files.exists(file)) {
			rows.append(HEADER);
		}
		String date = started.withZoneSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
		String commit = commit();
		for (Row row : results.rows()) {
			if (row.verdict() == Row.Verdict.NONE) {
				continue;
			}
			rows.append("| ")
				.append(String.join(" | ", date, commit, cases, row.name(), row.figure(), row.reference(), row.ratio(),
						row.target(), row.verdict().toString()).replace("\n", " "))
				.append(" |\n");
		}
		Files.writeString(file, rows.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
				StandardOpenOption.APPEND);
	}

	/** The checkout's commit, marked when it has uncommitted changes; "unknown" outside git. */
	private static String commit() {
		try {
			Process git = new ProcessBuilder("git", "describe", "--always", "--dirty").redirectErrorStream(true).start();
			String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			return (git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0 && !out.isEmpty()) ? out : "unknown";
		}
		catch (IOException ex) {
			return "unknown";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "unknown";
		}
	}

}
