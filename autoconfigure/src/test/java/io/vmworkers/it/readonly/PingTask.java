package io.vmworkers.it.readonly;

import io.vmworkers.annotation.WorkerTask;

@WorkerTask
public class PingTask {

	public String ping() {
		return "pong";
	}

}
