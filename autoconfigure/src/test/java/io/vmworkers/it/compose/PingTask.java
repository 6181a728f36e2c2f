package io.vmworkers.it.compose;

import io.vmworkers.annotation.WorkerTask;

@WorkerTask
public class PingTask {

	public long pid() {
		return ProcessHandle.current().pid();
	}

}
