package io.vmworkers.benchmarks;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch of round trips, {@code n} out and {@code n + 1} back: to a vmworkers worker or to one
 * of the references.
 */
interface RoundTrip {

	/** Longest batch: bounds the memory of a batch of very short round trips. */
	int MAX_SAMPLES = 1 << 20;

	String name();

	/**
	 * Runs round trips back to back for about {@code nanos}.
	 * @param nanos how long to run
	 * @return the duration of each round trip, in nanoseconds
	 * @throws Exception when the other side fails or answers wrong
	 */
	long[] run(long nanos) throws Exception;

	/**
	 * Measures contenders against each other: each warmed up, then one batch of each in turn, round
	 * after round, so that a disturbance of the machine hits all of them alike.
	 * @param plan the warm-up, the rounds and the batches' length
	 * @param contenders the round trips
	 * @return each contender's samples, by round
	 * @throws Exception when a round trip fails
	 */
	static Map<RoundTrip, Samples> interleaved(Plan plan, List<RoundTrip> contenders) throws Exception {
		Map<RoundTrip, Samples> samples = new LinkedHashMap<>();
		for (RoundTrip contender : contenders) {
			contender.run(plan.warmupNanos());
			samples.put(contender, new Samples());
		}
		for (int round = 0; round < plan.rounds(); round++) {
			for (RoundTrip contender : contenders) {
				samples.get(contender).addRound(contender.run(plan.batchNanos()));
			}
		}
		return samples;
	}

	/**
	 * A batch of {@code step}s timed one by one.
	 * @param name the batch's name
	 * @param step one round trip
	 * @return the batch
	 */
	static RoundTrip of(String name, Step step) {
		return new RoundTrip() {

			@Override
			public String name() {
				return name;
			}

			@Override
			public long[] run(long nanos) throws Exception {
				return timeEach(step, nanos);
			}

		};
	}

	/**
	 * Times {@code step} back to back for about {@code nanos}, checking each answer.
	 * @param step one round trip
	 * @param nanos how long to run
	 * @return each round trip's duration
	 * @throws Exception when the step fails or answers wrong
	 */
	static long[] timeEach(Step step, long nanos) throws Exception {
		long[] samples = new long[MAX_SAMPLES];
		int count = 0;
		long now = System.nanoTime();
		long end = now + nanos;
		int value = 0;
		while (now < end && count < samples.length) {
			int answer = step.apply(value);
			long after = System.nanoTime();
			if (answer != value + 1) {
				throw new IllegalStateException("answered " + answer + " to " + value);
			}
			value = answer;
			samples[count++] = after - now;
			now = after;
		}
		return Arrays.copyOf(samples, count);
	}

	/**
	 * Times one round trip after {@code silenceMillis} of silence, in which the other side goes
	 * to sleep.
	 * @param step one round trip
	 * @param silenceMillis how long to wait first
	 * @return the round trip's duration
	 * @throws Exception when the step fails or answers wrong
	 */
	static long afterSilence(Step step, long silenceMillis) throws Exception {
		Thread.sleep(silenceMillis);
		long start = System.nanoTime();
		if (step.apply(41) != 42) {
			throw new IllegalStateException("wrong answer after silence");
		}
		return System.nanoTime() - start;
	}

	/** One round trip: sends {@code value}, returns the answer. */
	@FunctionalInterface
	interface Step {

		int apply(int value) throws Exception;

	}

}
