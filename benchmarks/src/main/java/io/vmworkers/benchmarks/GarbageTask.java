package io.vmworkers.benchmarks;

import io.vmworkers.annotation.WorkerTask;

import org.springframework.context.annotation.Profile;

/**
 * The worker of the GC isolation case: makes garbage in its own heap.
 */
@WorkerTask
@Profile(BenchmarkApplication.GARBAGE)
public class GarbageTask {

	/**
	 * Allocates as {@link Workloads#garbage} does.
	 * @param millis how long
	 * @return the bytes allocated
	 */
	public long garbage(long millis) {
		return Workloads.garbage(millis);
	}

}
