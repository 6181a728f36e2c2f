package io.vmworkers.it.early;

import io.vmworkers.annotation.WorkerTask;

@WorkerTask
public class PidTask {

	public long pid() {
		return ProcessHandle.current().pid();
	}

	public String late() {
		return System.getProperty("vmworkers.test.late");
	}

}
