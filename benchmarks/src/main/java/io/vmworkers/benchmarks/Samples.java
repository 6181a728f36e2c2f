package io.vmworkers.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measurements of one figure over several rounds. A statistic (median, p99) is taken in each round,
 * then the median of the rounds' values is reported: batches run for a fixed time, so a round the
 * machine slowed down has far fewer samples, and pooling them would let the fast rounds decide.
 */
final class Samples {

	private final List<long[]> rounds = new ArrayList<>();

	void addRound(long[] values) {
		if (values.length > 0) {
			long[] sorted = values.clone();
			Arrays.sort(sorted);
			this.rounds.add(sorted);
		}
	}

	void add(long value) {
		addRound(new long[] { value });
	}

	double median() {
		return percentile(50);
	}

	/**
	 * Returns the median over the rounds of each round's percentile (nearest rank).
	 * @param percent 0 to 100
	 * @return the value, NaN without samples
	 */
	double percentile(double percent) {
		return medianOf(this.rounds.stream().mapToDouble((round) -> percentileOf(round, percent)).toArray());
	}

	/**
	 * Returns the largest sample of all rounds.
	 * @return the value, NaN without samples
	 */
	double max() {
		return this.rounds.stream().mapToDouble((round) -> round[round.length - 1]).max().orElse(Double.NaN);
	}

	/**
	 * Returns how far the rounds' medians lie apart, relative to the reported median: the error bar
	 * that in-run comparisons must beat.
	 * @return (highest round median - lowest) / median, 0 with one round
	 */
	double spread() {
		double[] medians = this.rounds.stream().mapToDouble((round) -> percentileOf(round, 50)).sorted().toArray();
		if (medians.length < 2 || median() == 0) {
			return 0;
		}
		return (medians[medians.length - 1] - medians[0]) / median();
	}

	private static double percentileOf(long[] sorted, double percent) {
		int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
		return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
	}

	private static double medianOf(double[] values) {
		if (values.length == 0) {
			return Double.NaN;
		}
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

}
