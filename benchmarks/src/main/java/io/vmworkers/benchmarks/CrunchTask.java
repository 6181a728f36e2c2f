package io.vmworkers.benchmarks;

import java.util.concurrent.CompletableFuture;

import io.vmworkers.annotation.WorkerTask;

import org.springframework.context.annotation.Profile;

/**
 * A worker of the parallel case; its two subclasses give two workers running the same code.
 */
public abstract class CrunchTask {

	/** Name of the first worker. */
	static final String FIRST = "firstCruncher";

	/** Name of the second worker. */
	static final String SECOND = "secondCruncher";

	/**
	 * Runs {@link Workloads#collatzSteps} on the worker. Asynchronous, so that one master thread
	 * can keep both workers busy at once.
	 * @param from first number
	 * @param to end of the range, exclusive
	 * @param part which part of the range
	 * @param parts how many parts
	 * @return the total number of steps in that part
	 */
	public CompletableFuture<Long> collatzSteps(long from, long to, int part, int parts) {
		return CompletableFuture.completedFuture(Workloads.collatzSteps(from, to, part, parts));
	}

	/** The first worker of the parallel case. */
	@WorkerTask(FIRST)
	@Profile(BenchmarkApplication.PARALLEL)
	public static class First extends CrunchTask {

	}

	/** The second worker of the parallel case. */
	@WorkerTask(SECOND)
	@Profile(BenchmarkApplication.PARALLEL)
	public static class Second extends CrunchTask {

	}

}
