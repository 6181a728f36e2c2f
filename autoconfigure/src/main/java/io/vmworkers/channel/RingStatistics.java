package io.vmworkers.channel;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts of messages and payload bytes through one side of a ring, kept by the ring itself so that
 * monitoring reads them without touching the hot path.
 */
public final class RingStatistics {

	private final AtomicLong messagesWritten = new AtomicLong();

	private final AtomicLong bytesWritten = new AtomicLong();

	private final AtomicLong messagesRead = new AtomicLong();

	private final AtomicLong bytesRead = new AtomicLong();

	private final AtomicLong wakeUps = new AtomicLong();

	/**
	 * Counts a message written; called by one writing thread at a time.
	 * @param bytes its payload's length
	 */
	public void recordWrite(int bytes) {
		// Single writer at a time (the ring's lock): a lazy set is enough and cheaper than an add.
		this.messagesWritten.lazySet(this.messagesWritten.get() + 1);
		this.bytesWritten.lazySet(this.bytesWritten.get() + bytes);
	}

	void recordRead(int bytes) {
		this.messagesRead.lazySet(this.messagesRead.get() + 1);
		this.bytesRead.lazySet(this.bytesRead.get() + bytes);
	}

	void recordWakeUp() {
		this.wakeUps.lazySet(this.wakeUps.get() + 1);
	}

	public long messagesWritten() {
		return this.messagesWritten.get();
	}

	public long bytesWritten() {
		return this.bytesWritten.get();
	}

	public long messagesRead() {
		return this.messagesRead.get();
	}

	public long bytesRead() {
		return this.bytesRead.get();
	}

	/**
	 * Returns how many times the producer found the consumer asleep and woke it: each a write whose
	 * reader paid a scheduler wake-up before it could read.
	 * @return the count
	 */
	public long wakeUps() {
		return this.wakeUps.get();
	}

}
