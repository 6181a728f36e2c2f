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
