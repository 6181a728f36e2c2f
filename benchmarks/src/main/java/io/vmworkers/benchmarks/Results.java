package io.vmworkers.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jfree.data.category.DefaultCategoryDataset;

/**
 * What the cases found: the table's rows, the notes under it, and the charts' data.
 */
final class Results {

	private final List<Row> rows = new ArrayList<>();

	private final List<String> notes = new ArrayList<>();

	private final Map<String, DefaultCategoryDataset> charts = new LinkedHashMap<>();

	void add(Row row) {
		this.rows.add(row);
		System.out.println("  " + row.name() + ": " + row.figure() + " | " + row.reference() + " | " + row.ratio()
				+ " | " + row.target() + " | " + row.verdict());
	}

	void note(String note) {
		this.notes.add(note);
	}

	/**
	 * Adds a value to one of the charts.
	 * @param chart the chart's title
	 * @param series the bar's series (its colour)
	 * @param category the bar's group
	 * @param value the value
	 */
	void plot(String chart, String series, String category, double value) {
		this.charts.computeIfAbsent(chart, (title) -> new DefaultCategoryDataset()).addValue(value, series, category);
	}

	List<Row> rows() {
		return this.rows;
	}

	List<String> notes() {
		return this.notes;
	}

	Map<String, DefaultCategoryDataset> charts() {
		return this.charts;
	}

}
