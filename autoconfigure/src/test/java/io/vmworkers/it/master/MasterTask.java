package io.vmworkers.it.master;

import io.vmworkers.annotation.WorkerTask;

@WorkerTask
public class MasterTask {

	public long pid() {
		return ProcessHandle.current().pid();
	}

}
