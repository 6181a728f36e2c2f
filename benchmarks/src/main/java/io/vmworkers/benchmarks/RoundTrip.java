package io.vmworkers.benchmarks;

import java.util.Arrays;

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
