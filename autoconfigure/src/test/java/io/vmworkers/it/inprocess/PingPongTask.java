package io.vmworkers.it.inprocess;

import java.util.List;

import io.vmworkers.annotation.OnData;
import io.vmworkers.annotation.OnMaster;
import io.vmworkers.annotation.WorkerTask;
import io.vmworkers.channel.WorkerChannel;

/** The seed's task: a ping-pong over the channel, calls, and a mutable object that crosses. */
@WorkerTask
public class PingPongTask {

	private final WorkerChannel channel;

	private final InProcessApplication.Greeting greeting;

	private volatile String dataThread;

	PingPongTask(WorkerChannel channel, InProcessApplication.Greeting greeting) {
		this.channel = channel;
		this.greeting = greeting;
	}

	@OnData
	void processData(Integer n) {
		this.dataThread = Thread.currentThread().getName();
		this.channel.put(n + 1);
	}

	public long greet() {
		return ProcessHandle.current().pid();
	}

	public String callerThread() {
		return Thread.currentThread().getName();
	}

	public String greeting(String name) {
		return this.greeting.word() + " " + name;
	}

	public String dataThread() {
		return this.dataThread;
	}

	public Order confirm(Order order) {
		order.setQuantity(order.getQuantity() * 2);
		order.setConfirmed(true);
		return order;
	}

	public int count(List<Object> things) {
		return things.size();
	}

	@OnMaster
	public int run(int rounds) {
		this.channel.put(0);
		int v = 0;
		for (int i = 0; i < rounds; i++) {
			v = this.channel.next();
			this.channel.put(v + 1);
		}
		return v;
	}

}
