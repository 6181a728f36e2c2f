package io.vmworkers.sample;

/**
 * How many primes a worker found in a range.
 * @param range the range
 * @param primes the primes in it
 * @param pid the worker that counted them
 */
public record PrimeCount(Range range, long primes, long pid) {

	/**
	 * Numbers from {@code from} (inclusive) to {@code to} (exclusive).
	 * @param from the first number
	 * @param to the number after the last
	 */
	public record Range(long from, long to) {

	}

}
