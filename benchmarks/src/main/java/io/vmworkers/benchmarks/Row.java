package io.vmworkers.benchmarks;

/**
 * One line of the results table.
 * @param name what is measured
 * @param figure the vmworkers figure, with its tail and spread
 * @param reference what it is compared with, in the same run
 * @param ratio the comparison, as the target states it
 * @param target the target from the performance issue, or "-" for a figure given for orientation
 * @param verdict whether the target is met
 */
record Row(String name, String figure, String reference, String ratio, String target, Verdict verdict) {

	static Row judged(String name, String figure, String reference, String ratio, String target, boolean met) {
		return new Row(name, figure, reference, ratio, target, met ? Verdict.MET : Verdict.MISSED);
	}

	static Row info(String name, String figure, String reference, String ratio) {
		return new Row(name, figure, reference, ratio, "-", Verdict.NONE);
	}

	/**
	 * Returns this row unjudged when its reference did not get the machine it needs (a spinning
	 * reference on a loaded machine, or two cores that were not free): a ratio to a collapsed
	 * reference would pass or fail for the wrong reason.
	 * @param disturbed whether the reference was disturbed
	 * @return this row, or a copy that says the target could not be judged
	 */
	Row unjudgedIf(boolean disturbed) {
		return disturbed ? new Row(this.name, this.figure, this.reference, this.ratio, this.target,
				Verdict.REFERENCE_DISTURBED) : this;
	}

	/**
	 * Writes this row as one line of tab-separated fields, for a run on another JDK to hand back.
	 * @return the line, without its end
	 */
	String toLine() {
		return String.join("\t", clean(this.name), clean(this.figure), clean(this.reference), clean(this.ratio),
				clean(this.target), this.verdict.name());
	}

	/**
	 * Reads a row written by {@link #toLine()}.
	 * @param line the line
	 * @return the row
	 */
	static Row fromLine(String line) {
		String[] fields = line.split("\t", -1);
		if (fields.length != 6) {
			throw new IllegalArgumentException("not a row: " + line);
		}
		return new Row(fields[0], fields[1], fields[2], fields[3], fields[4], Verdict.valueOf(fields[5]));
	}

	private static String clean(String field) {
		return field.replace('\t', ' ').replace('\n', ' ');
	}

	/** Whether a row's target is met. */
	enum Verdict {

		MET("yes"), MISSED("NO"), NONE("-"), REFERENCE_DISTURBED("n/a: reference disturbed");

		private final String label;

		Verdict(String label) {
			this.label = label;
		}

		@Override
		public String toString() {
			return this.label;
		}

	}

}
