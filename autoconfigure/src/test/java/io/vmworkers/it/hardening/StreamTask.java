package io.vmworkers.it.hardening;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.vmworkers.annotation.OnData;
import io.vmworkers.annotation.OnMaster;
import io.vmworkers.annotation.WorkerTask;
import io.vmworkers.channel.WorkerChannel;

/**
 * Streams the way applications do: a handler that reads a message's body after its header, a
 * slow handler on the master, and a producer faster than its consumer.
 */
@WorkerTask
public class StreamTask {

	private final WorkerChannel channel;

	private final List<Tick> ticksOnMaster = new CopyOnWriteArrayList<>();

	private volatile long masterHandlerMillis;

	public StreamTask(WorkerChannel channel) {
		this.channel = channel;
	}

	/** On the worker: reads the bodies that follow a header from within the handler. */
	@OnData
	void header(Header header) {
		long bytes = 0;
		byte[] firstBytes = new byte[header.bodies()];
		for (int i = 0; i < header.bodies(); i++) {
			byte[] body = this.channel.next();
			bytes += body.length;
			firstBytes[i] = body[0];
		}
		this.channel.put(new Summary(header.id(), bytes, firstBytes));
	}

	public long pid() {
		return ProcessHandle.current().pid();
	}

	/** On the worker: puts ticks for the master's handler. */
	public void ticks(int count) {
		for (int i = 0; i < count; i++) {
			this.channel.put(new Tick(i));
		}
	}

	/** On the worker: puts {@code count} arrays of {@code size} bytes, the i-th starting with i. */
	public CompletableFuture<Integer> flood(int count, int size) {
		return CompletableFuture.supplyAsync(() -> {
			for (int i = 0; i < count; i++) {
				byte[] array = new byte[size];
				array[0] = (byte) i;
				this.channel.put(array);
			}
			return count;
		});
	}

	@OnMaster
	@OnData
	void tickOnMaster(Tick tick) throws InterruptedException {
		Thread.sleep(this.masterHandlerMillis);
		this.ticksOnMaster.add(tick);
	}

	@OnMaster
	public void slowMasterHandler(long millis) {
		this.masterHandlerMillis = millis;
	}

	@OnMaster
	public List<Tick> ticksOnMaster() {
		return List.copyOf(this.ticksOnMaster);
	}

}
