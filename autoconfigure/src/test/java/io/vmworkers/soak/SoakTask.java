package io.vmworkers.soak;

import java.util.concurrent.CompletableFuture;

import io.vmworkers.annotation.Idempotent;
import io.vmworkers.annotation.OnData;
import io.vmworkers.annotation.OnMaster;
import io.vmworkers.channel.WorkerChannel;

/**
 * What both soak workers do: calls (synchronous, idempotent, asynchronous) and a stream each way.
 * Master to worker: the master puts {@link Chunk}s, the worker answers each with a {@link Receipt}.
 * Worker to master: {@link #emit} puts chunks from the worker. The master's handlers count both in
 * the {@link StreamTally}s given to {@link #tally}.
 */
public abstract class SoakTask {

	private static final long PID = ProcessHandle.current().pid();

	private final WorkerChannel channel;

	private volatile StreamTally toWorker;

	private volatile StreamTally fromWorker;

	protected SoakTask(WorkerChannel channel) {
		this.channel = channel;
	}

	public int inc(int value) {
		return value + 1;
	}

	@Idempotent
	public int incIdempotent(int value) {
		return value + 1;
	}

	public CompletableFuture<Integer> incLater(int value) {
		return CompletableFuture.supplyAsync(() -> value + 1);
	}

	/**
	 * Puts chunks {@code firstSeq} to {@code firstSeq + count - 1} to the master, from the worker.
	 * @param firstSeq the first sequence number
	 * @param count how many
	 */
	public void emit(long firstSeq, int count) {
		for (int i = 0; i < count; i++) {
			this.channel.put(Chunk.of(firstSeq + i, PID));
		}
	}

	@OnData
	void chunkOnWorker(Chunk chunk) {
		this.channel.put(new Receipt(chunk.seq(), PID, chunk.intact()));
	}

	/**
	 * Sets where the master counts what arrives.
	 * @param toWorker counts the receipts of the chunks the master put
	 * @param fromWorker counts the chunks the worker put
	 */
	@OnMaster
	public void tally(StreamTally toWorker, StreamTally fromWorker) {
		this.toWorker = toWorker;
		this.fromWorker = fromWorker;
	}

	@OnMaster
	@OnData
	void chunkOnMaster(Chunk chunk) {
		StreamTally tally = this.fromWorker;
		if (tally != null) {
			tally.received(chunk.seq(), chunk.senderPid(), chunk.intact());
		}
	}

	@OnMaster
	@OnData
	void receiptOnMaster(Receipt receipt) {
		StreamTally tally = this.toWorker;
		if (tally != null) {
			tally.received(receipt.seq(), receipt.workerPid(), receipt.intact());
		}
	}

}
