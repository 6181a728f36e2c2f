package io.vmworkers.benchmarks;

import java.util.Locale;

/**
 * Formats figures for the table: times in the unit that suits them, rates, shares of a core.
 */
final class Units {

	private Units() {
	}

	static String nanos(double nanos) {
		if (Double.isNaN(nanos)) {
			return "n/a";
		}
		if (nanos < 1_000) {
			return format("%.0f ns", nanos);
		}
		if (nanos < 1_000_000) {
			return format("%.1f us", nanos / 1e3);
		}
		if (nanos < 1_000_000_000) {
			return format("%.1f ms", nanos / 1e6);
		}
		return format("%.2f s", nanos / 1e9);
	}

	/** Median, p99 and spread of latency samples in nanoseconds. */
	static String latency(Samples samples) {
		return nanos(samples.median()) + " (p99 " + nanos(samples.percentile(99)) + ", spread "
				+ percent(samples.spread()) + ")";
	}

	static String percent(double fraction) {
		if (!Double.isFinite(fraction)) {
			return "n/a";
		}
		return format("%.0f%%", fraction * 100);
	}

	static String times(double ratio) {
		if (!Double.isFinite(ratio)) {
			return "n/a";
		}
		return format((ratio < 0.1) ? "%.2fx" : "%.1fx", ratio);
	}

	/** A speed ratio (reference time over ours) in words: "12.0x faster" or "3.5x slower". */
	static String faster(double ratio) {
		if (!Double.isFinite(ratio) || ratio <= 0) {
			return "n/a";
		}
		return (ratio >= 1) ? format("%.1fx faster", ratio) : format("%.1fx slower", 1 / ratio);
	}

	static String format(String pattern, Object... values) {
		return String.format(Locale.ROOT, pattern, values);
	}

}
