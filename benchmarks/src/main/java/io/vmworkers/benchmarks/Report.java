package io.vmworkers.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes the results: the table on standard output, and BENCHMARKS.md with the table, the
 * machine, the load, the JVM, the date, the command and the notes.
 */
final class Report {

	private static final List<String> HEADERS = List.of("case", "vmworkers", "reference", "ratio", "target",
			"met?");

	private static final List<Function<Row, String>> COLUMNS = List.of(Row::name, Row::figure, Row::reference,
			Row::ratio, Row::target, (row) -> row.verdict().toString());

	private Report() {
	}

	static void print(Results results) {
		int[] widths = new int[HEADERS.size()];
		for (int i = 0; i < widths.length; i++) {
			widths[i] = HEADERS.get(i).length();
			for (Row row : results.rows()) {
				widths[i] = Math.max(widths[i], COLUMNS.get(i).apply(row).length());
			}
		}
		System.out.println();
		System.out.println(line(HEADERS, widths));
		System.out.println(line(HEADERS.stream().map((header) -> "-".repeat(100)).toList(), widths));
		for (Row row : results.rows()) {
			System.out.println(line(COLUMNS.stream().map((column) -> column.apply(row)).toList(), widths));
		}
	}

	private static String line(List<String> cells, int[] widths) {
		StringBuilder line = new StringBuilder();
		for (int i = 0; i < cells.size(); i++) {
			String cell = cells.get(i);
			line.append(i == 0 ? "" : " | ").append(cell, 0, Math.min(cell.length(), widths[i]));
			line.append(" ".repeat(Math.max(0, widths[i] - cell.length())));
		}
		return line.toString().stripTrailing();
	}

	/**
	 * Writes BENCHMARKS.md.
	 * @param file where
	 * @param results the results
	 * @param context the machine and run facts gathered around the run
	 * @param chart the chart's file name, relative to {@code file}
	 * @throws IOException when the file cannot be written
	 */
	static void writeMarkdown(Path file, Results results, RunContext context, String chart) throws IOException {
		StringBuilder md = new StringBuilder();
		md.append("# vmworkers benchmarks\n\n");
		md.append("Written by `io.vmworkers.benchmarks.BenchmarkSuite`; see `benchmarks/README.md`. ")
			.append("Only ratios within this run mean anything: the machine is shared and its floor moves.\n\n");
		md.append(body(results.rows(), results.notes(), context, chart, "##"));
		Files.writeString(file, md.toString());
	}

	/**
	 * Writes one JDK's part of a run on several ({@code --jdks}): BENCHMARKS.md's body, one heading
	 * level down, for {@link JdkRuns} to place under that JDK's heading.
	 * @param file where
	 * @param results the results
	 * @param context the machine and run facts gathered around the run
	 * @param chart the chart's file name as the combined BENCHMARKS.md will name it
	 * @throws IOException when the file cannot be written
	 */
	static void writeSection(Path file, Results results, RunContext context, String chart) throws IOException {
		Files.writeString(file, body(results.rows(), results.notes(), context, chart, "###"));
	}

	/**
	 * Writes a results table in Markdown.
	 * @param md where
	 * @param rows the rows
	 */
	static void table(StringBuilder md, List<Row> rows) {
		md.append("| ").append(String.join(" | ", HEADERS)).append(" |\n");
		md.append("|").append(" --- |".repeat(HEADERS.size())).append('\n');
		for (Row row : rows) {
			md.append("| ");
			for (Function<Row, String> column : COLUMNS) {
				md.append(cell(column.apply(row))).append(" | ");
			}
			md.setLength(md.length() - 1);
			md.append('\n');
		}
	}

	static String cell(String text) {
		return text.replace("|", "\\|");
	}

	private static String body(List<Row> rows, List<String> notes, RunContext context, String chart, String heading) {
		StringBuilder md = new StringBuilder();
		table(md, rows);
		md.append("\n![main figures](").append(chart).append(")\n\n");
		if (heading.equals("##")) {
			// A JDK's section leaves this to the combined report, which lists each miss once for all JDKs.
			Map<Row, List<String>> missed = new LinkedHashMap<>();
			rows.stream().filter((row) -> row.verdict() == Row.Verdict.MISSED).forEach((row) -> missed.put(row, List.of()));
			Limits.write(md, missed, heading);
		}
		md.append(heading).append(" Run\n\n");
		md.append("- command: `").append(context.command()).append("`\n");
		md.append("- date: ").append(context.started().format(DateTimeFormatter.RFC_1123_DATE_TIME)).append('\n');
		md.append("- duration: ").append(context.duration()).append('\n');
		md.append("- machine: ").append(Machine.cores()).append(" cores, ").append(Machine.cpu()).append('\n');
		md.append("- load (/proc/loadavg) at start: ").append(context.loadBefore()).append(", at end: ")
			.append(Machine.load()).append('\n');
		md.append("- JVM: ").append(Machine.jvm()).append('\n');
		md.append("- figures: each statistic (median, p99, p99.9) is taken per round, then its median over the ")
			.append(context.rounds())
			.append(" rounds is given, so that every round weighs the same; spread = (highest round median - lowest)")
			.append(" / median; each case runs interleaved with its references\n\n");
		md.append(heading).append(" Notes\n\n");
		for (String note : notes) {
			md.append("- ").append(note).append('\n');
		}
		return md.toString();
	}

	/**
	 * Facts about the run that the report states.
	 * @param command the command that ran the suite
	 * @param started when it started
	 * @param duration how long it took, formatted
	 * @param loadBefore the load averages at the start
	 * @param rounds rounds per case
	 */
	record RunContext(String command, ZonedDateTime started, String duration, String loadBefore, int rounds) {
	}

}
