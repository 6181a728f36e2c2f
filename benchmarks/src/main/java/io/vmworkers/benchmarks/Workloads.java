package io.vmworkers.benchmarks;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The work the parallel and GC cases run, the same code in a worker and in the master.
 */
final class Workloads {

	/** Objects the garbage keeps alive for a while, so that young collections have work to do. */
	private static final int LIVE_OBJECTS = 32 * 1024;

	/** Allocation is paced to this rate, so that both placements get the same garbage. */
	static final long GARBAGE_BYTES_PER_SECOND = 400L << 20;

	private Workloads() {
	}

	/** Numbers per chunk when a range is split into parts. */
	private static final int CHUNK = 4096;

	/**
	 * A CPU-bound job that no compiler can shortcut: the total number of Collatz steps of the
	 * numbers in one part of a range. The range is cut into chunks dealt to the parts in turn, so
	 * that the parts take the same time (steps grow with the numbers).
	 * @param from first number, at least 1
	 * @param to end of the range, exclusive
	 * @param part which part, from 0
	 * @param parts how many parts
	 * @return the total number of steps in that part
	 */
	static long collatzSteps(long from, long to, int part, int parts) {
		long total = 0;
		for (long chunk = from + (long) part * CHUNK; chunk < to; chunk += (long) parts * CHUNK) {
			for (long n = chunk; n < Math.min(to, chunk + CHUNK); n++) {
				long x = n;
				while (x != 1) {
					x = ((x & 1) == 0) ? x >>> 1 : 3 * x + 1;
					total++;
				}
			}
		}
		return total;
	}

	/**
	 * Allocates short-lived byte arrays at {@link #GARBAGE_BYTES_PER_SECOND} for {@code millis},
	 * keeping the last {@value #LIVE_OBJECTS} of them (about 32 MB) reachable.
	 * @param millis how long
	 * @return the bytes allocated
	 */
	static long garbage(long millis) {
		byte[][] live = new byte[LIVE_OBJECTS][];
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long start = System.nanoTime();
		long end = start + TimeUnit.MILLISECONDS.toNanos(millis);
		long allocated = 0;
		int slot = 0;
		for (long now = start; now < end; now = System.nanoTime()) {
			for (int i = 0; i < 1024; i++) {
				byte[] object = new byte[64 + random.nextInt(1984)];
				live[slot++ & (LIVE_OBJECTS - 1)] = object;
				allocated += object.length;
			}
			long due = start + allocated * 1_000_000_000L / GARBAGE_BYTES_PER_SECOND;
			if (due > now) {
				LockSupport.parkNanos(due - now);
			}
		}
		return allocated;
	}

}
