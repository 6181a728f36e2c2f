package io.vmworkers.it.calls;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.vmworkers.annotation.OnData;
import io.vmworkers.annotation.OnMaster;
import io.vmworkers.annotation.WorkerTask;
import io.vmworkers.channel.WorkerChannel;

@WorkerTask
public class EchoTask {

	private final WorkerChannel channel;

	private final List<Pose> received = new CopyOnWriteArrayList<>();

	EchoTask(WorkerChannel channel) {
		this.channel = channel;
	}

	public long pid() {
		return ProcessHandle.current().pid();
	}

	public int inc(int value) {
		return value + 1;
	}

	public Pose move(Pose pose, double dx) {
		return new Pose(pose.x() + dx, pose.y(), pose.theta());
	}

	public Map<String, List<Integer>> group(List<Integer> values) {
		return Map.of("even", values.stream().filter((v) -> v % 2 == 0).toList(), "odd",
				values.stream().filter((v) -> v % 2 != 0).toList());
	}

	public String fail(String message) {
		throw new IllegalArgumentException(message);
	}

	public CompletableFuture<String> shout(String text) {
		return CompletableFuture.supplyAsync(text::toUpperCase);
	}

	public Thread leak() {
		return Thread.currentThread();
	}

	public byte[] bytes(int size) {
		byte[] bytes = new byte[size];
		for (int i = 0; i < size; i++) {
			bytes[i] = (byte) (i * 31);
		}
		return bytes;
	}

	public Double takeNext() {
		return this.channel.next(java.time.Duration.ofSeconds(30));
	}

	public void emit(int count) {
		for (int i = 0; i < count; i++) {
			this.channel.put(new Pose(i, ProcessHandle.current().pid(), 0));
		}
	}

	@OnMaster
	@OnData
	void received(Pose pose) {
		this.received.add(pose);
	}

	@OnMaster
	public List<Pose> receivedOnMaster() {
		return this.received;
	}

	@OnMaster
	public long masterPid() {
		return ProcessHandle.current().pid();
	}

	@OnMaster
	public long workerPidThroughMaster() {
		return pid();
	}

	@OnData
	void echo(String text) {
		this.channel.put(text + "!");
	}

	/** Reads the bytes through a read-only view. */
	@OnData
	void reverse(ByteBuffer bytes) {
		int length = bytes.remaining();
		byte[] reversed = new byte[length];
		for (int i = 0; i < length; i++) {
			reversed[i] = bytes.get(bytes.position() + length - 1 - i);
		}
		this.channel.put(reversed);
	}

	@OnData
	void sum(int[] values) {
		long sum = 0;
		for (int value : values) {
			sum += value;
		}
		this.channel.put(sum);
	}

}
