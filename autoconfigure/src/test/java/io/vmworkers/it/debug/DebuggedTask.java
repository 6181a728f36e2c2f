package io.vmworkers.it.debug;

import io.vmworkers.annotation.WorkerTask;

@WorkerTask
public class DebuggedTask {

	public long pid() {
		return ProcessHandle.current().pid();
	}

	public int inc(int value) {
		return value + 1;
	}

}
