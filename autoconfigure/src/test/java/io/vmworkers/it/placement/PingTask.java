package io.vmworkers.it.placement;

import io.vmworkers.annotation.WorkerTask;

@WorkerTask
public class PingTask {

	public long pid() {
		return ProcessHandle.current().pid();
	}

	public int inc(int value) {
		return value + 1;
	}

}
