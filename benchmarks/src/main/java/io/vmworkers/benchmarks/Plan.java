package io.vmworkers.benchmarks;

import java.util.concurrent.TimeUnit;

/**
 * How long the suite measures: rounds per case and the length of each batch.
 * @param rounds how often each case and its references run, interleaved
 * @param batchNanos length of one batch of round trips or of one stream
 * @param warmupNanos length of the batch each contender runs first, unmeasured, to get compiled
 */
record Plan(int rounds, long batchNanos, long warmupNanos) {

	/** The documented run: about three to four minutes on two cores. */
	static final Plan FULL = new Plan(5, TimeUnit.MILLISECONDS.toNanos(300), TimeUnit.SECONDS.toNanos(2));

	/** A quick look while developing: fewer and shorter rounds, figures only indicative. */
	static final Plan QUICK = new Plan(2, TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.MILLISECONDS.toNanos(300));

}
