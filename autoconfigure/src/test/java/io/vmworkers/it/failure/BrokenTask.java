package io.vmworkers.it.failure;

import io.vmworkers.annotation.WorkerTask;

/**
 * Cannot be created on a worker when the test asks for that, as a task whose hardware is missing.
 */
@WorkerTask
public class BrokenTask {

	BrokenTask() {
		if ("worker".equals(System.getProperty("vmworkers.role"))
				&& Boolean.getBoolean("vmworkers.test.break-worker")) {
			throw new IllegalStateException("sensor not found on the worker");
		}
	}

	public int inc(int value) {
		return value + 1;
	}

}
