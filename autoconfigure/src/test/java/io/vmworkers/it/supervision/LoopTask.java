package io.vmworkers.it.supervision;

import io.vmworkers.annotation.WorkerTask;

@WorkerTask
public class LoopTask {

	public long pid() {
		return ProcessHandle.current().pid();
	}

	public void crash() {
		Runtime.getRuntime().halt(44);
	}

}
