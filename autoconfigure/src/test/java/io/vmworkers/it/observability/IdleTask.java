package io.vmworkers.it.observability;

import io.vmworkers.annotation.WorkerTask;

@WorkerTask
public class IdleTask {

	public long pid() {
		return ProcessHandle.current().pid();
	}

}
