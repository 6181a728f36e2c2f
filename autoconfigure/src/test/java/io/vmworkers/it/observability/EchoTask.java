package io.vmworkers.it.observability;

import io.vmworkers.annotation.OnData;
import io.vmworkers.annotation.WorkerTask;
import io.vmworkers.channel.WorkerChannel;

@WorkerTask
public class EchoTask {

	private final WorkerChannel channel;

	EchoTask(WorkerChannel channel) {
		this.channel = channel;
	}

	public int inc(int value) {
		return value + 1;
	}

	@OnData
	void echo(String text) {
		this.channel.put(text + "!");
	}

}
