package io.vmworkers.it.hardening;

import io.vmworkers.annotation.WorkerTask;

/**
 * A task that ends its own JVM.
 */
@WorkerTask
public class ExitTask {

	public long pid() {
		return ProcessHandle.current().pid();
	}

	public void exit(int status) {
		System.exit(status);
	}

}
