package io.vmworkers.it.lifecycle;

import io.vmworkers.annotation.OnData;
import io.vmworkers.annotation.WorkerTask;
import io.vmworkers.channel.WorkerChannel;

@WorkerTask
public class SleeperTask {

	private final WorkerChannel channel;

	SleeperTask(WorkerChannel channel) {
		this.channel = channel;
	}

	public long pid() {
		return ProcessHandle.current().pid();
	}

	public int inc(int value) {
		return value + 1;
	}

	public void say(String text) {
		System.out.println(text);
		System.err.println(text + " (stderr)");
	}

	public long sleep(long millis) throws InterruptedException {
		System.out.println("sleeping " + millis);
		Thread.sleep(millis);
		return millis;
	}

	@OnData
	void echo(String text) {
		this.channel.put(text + "!");
	}

}
