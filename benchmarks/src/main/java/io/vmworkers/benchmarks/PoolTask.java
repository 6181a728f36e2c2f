package io.vmworkers.benchmarks;

import java.util.concurrent.CompletableFuture;

import io.vmworkers.annotation.WorkerTask;

import org.springframework.context.annotation.Profile;

/**
 * The workers of the pools group; its subclasses give one worker per pool, all running the same
 * code. How many replicas and spares each pool has is set by the suite's properties
 * ({@code vmworkers.workers.<name>.replicas}, {@code .spares}), as a user would.
 */
public abstract class PoolTask {

	/** The pool of one replica: the CPU-bound batch and the routing overhead's baseline. */
	static final String ONE = "onePool";

	/** The pool of two replicas. */
	static final String TWO = "twoPool";

	/** The failover case's worker without a spare. */
	static final String ALONE = "failoverAlone";

	/** The failover case's worker with a spare. */
	static final String SPARED = "failoverSpared";

	/**
	 * The call of the routing overhead case.
	 * @param value a number
	 * @return the next one
	 */
	public int inc(int value) {
		return value + 1;
	}

	/**
	 * Tells which process answered: the failover case waits for an answer from another process
	 * than the one it killed.
	 * @return this worker process's pid
	 */
	public long pid() {
		return ProcessHandle.current().pid();
	}

	/**
	 * Runs {@link Workloads#collatzSteps} on one replica of the pool. Asynchronous, so that one
	 * master thread can keep every replica busy.
	 * @param from first number
	 * @param to end of the range, exclusive
	 * @param part which part of the range
	 * @param parts how many parts
	 * @return the total number of steps in that part, then the pid of the replica that ran it
	 */
	public CompletableFuture<long[]> collatzSteps(long from, long to, int part, int parts) {
		return CompletableFuture
			.completedFuture(new long[] { Workloads.collatzSteps(from, to, part, parts), ProcessHandle.current().pid() });
	}

	/** One replica. */
	@WorkerTask(ONE)
	@Profile(BenchmarkApplication.POOLS)
	public static class One extends PoolTask {

	}

	/** Two replicas. */
	@WorkerTask(TWO)
	@Profile(BenchmarkApplication.POOLS)
	public static class Two extends PoolTask {

	}

	/** One replica, no spare. */
	@WorkerTask(ALONE)
	@Profile(BenchmarkApplication.FAILOVER)
	public static class Alone extends PoolTask {

	}

	/** One replica and one spare. */
	@WorkerTask(SPARED)
	@Profile(BenchmarkApplication.FAILOVER)
	public static class Spared extends PoolTask {

	}

}
