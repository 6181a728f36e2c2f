package io.vmworkers.kubernetes;

import io.vmworkers.annotation.OnData;
import io.vmworkers.annotation.WorkerTask;
import io.vmworkers.channel.WorkerChannel;

@WorkerTask
public class PodTask {

	private final WorkerChannel channel;

	PodTask(WorkerChannel channel) {
		this.channel = channel;
	}

	public long pid() {
		return ProcessHandle.current().pid();
	}

	public int inc(int value) {
		return value + 1;
	}

	public String launch() {
		return System.getenv("VMWORKERS_WORKER_LAUNCH_ID");
	}

	@OnData
	void echo(String text) {
		this.channel.put(text + "!");
	}

}
