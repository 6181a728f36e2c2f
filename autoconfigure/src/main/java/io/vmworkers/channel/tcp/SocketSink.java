package io.vmworkers.channel.tcp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import io.vmworkers.channel.ChannelClosedException;
import io.vmworkers.channel.ChannelFullException;
import io.vmworkers.channel.ChannelInterruptedException;
import io.vmworkers.channel.FrameSink;
import io.vmworkers.channel.RingDescriptor;
import io.vmworkers.channel.RingStatistics;

/**
 * The sending half of a {@link TcpChannel}: each message goes out as one {@linkplain WireRecords
 * record}, written by the sending thread itself (no hand-off to another thread), one thread at a
 * time. Until the connection is made, writers wait for it within their timeout.
 * <p>
 * A socket write blocks while the peer's receive buffer is full: its timeout bounds the wait for
 * the connection and for other writers, not the kernel's. The peer's receiving thread always
 * reads (into its ring, whose room the data credits bound), so only a hung peer blocks it, and
 * the master's watch kills a hung worker.
 */
final class SocketSink implements FrameSink {

	/** How long a beat waits for another writer: a beat is skipped rather than held up. */
	private static final long BEAT_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private final String where;

	private final int capacity;

	private final Consumer<IOException> broken;

	private final Runnable closing;

	private final CompletableFuture<WireRecords.Writer> writer = new CompletableFuture<>();

	private final ReentrantLock writeLock = new ReentrantLock();

	private final RingStatistics statistics = new RingStatistics();

	private final ByteBuffer beat = ByteBuffer.allocate(8 * RingDescriptor.BEAT_FIGURES);

	private volatile long lastWriteNanos = System.nanoTime() - TimeUnit.HOURS.toNanos(1);

	private volatile boolean closed;

	/**
	 * @param where what messages name the connection by
	 * @param capacity the capacity of the ring the peer receives into
	 * @param broken told when a write finds the connection broken
	 * @param closing run when this sink is closed: closes the whole connection
	 */
	SocketSink(String where, int capacity, Consumer<IOException> broken, Runnable closing) {
		this.where = where;
		this.capacity = capacity;
		this.broken = broken;
		this.closing = closing;
	}

	void connect(WireRecords.Writer connected) {
		this.writer.complete(connected);
	}

	@Override
	public void write(int type, long correlationId, byte[] source, int offset, int length, long timeoutNanos) {
		// Every type below the beat's, which the connection keeps for itself.
		RingDescriptor.checkFrame(type, correlationId, WireRecords.BEAT - 1);
		long start = System.nanoTime();
		WireRecords.Writer out = awaitConnection(timeoutNanos);
		lock(start, timeoutNanos);
		try {
			checkOpen();
			out.write(type, correlationId, source, offset, length);
			this.statistics.recordWrite(length);
			// Over TCP every message wakes the peer's receiving thread: a waiter for the answer spins
			// through that wake-up rather than sleeping into one of its own.
			this.lastWriteNanos = System.nanoTime();
		}
		catch (IOException ex) {
			this.broken.accept(ex);
			throw new ChannelClosedException("connection lost: " + this.where + ": " + ex.getMessage());
		}
		finally {
			this.writeLock.unlock();
		}
	}

	private WireRecords.Writer awaitConnection(long timeoutNanos) {
		checkOpen();
		WireRecords.Writer out = this.writer.getNow(null);
		if (out != null) {
			return out;
		}
		try {
			return this.writer.get(timeoutNanos, TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw new ChannelFullException("not connected after " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
					+ " ms: " + this.where + "; the worker has not connected to its master yet");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ChannelInterruptedException("interrupted while waiting for the connection: " + this.where);
		}
		catch (ExecutionException ex) {
			throw new ChannelClosedException("channel closed before it was connected: " + this.where);
		}
	}

	private void lock(long start, long timeoutNanos) {
		if (this.writeLock.tryLock()) {
			return;
		}
		try {
			long remaining = Math.max(0, timeoutNanos - (System.nanoTime() - start));
			if (!this.writeLock.tryLock(remaining, TimeUnit.NANOSECONDS)) {
				throw new ChannelFullException("connection busy for " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
						+ " ms, waiting for another thread of this process to finish writing: " + this.where
						+ "; the other side is not reading (raise vmworkers.channel.send-timeout or read faster)");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ChannelInterruptedException("interrupted while waiting to write: " + this.where);
		}
	}

	@Override
	public void publishBeat(long... figures) {
		if (figures.length != RingDescriptor.BEAT_FIGURES) {
			throw new IllegalArgumentException("a beat has " + RingDescriptor.BEAT_FIGURES + " figures, not "
					+ figures.length);
		}
		WireRecords.Writer out = this.writer.getNow(null);
		if (out == null || this.closed) {
			return;
		}
		try {
			if (!this.writeLock.tryLock(BEAT_WAIT_NANOS, TimeUnit.NANOSECONDS)) {
				return;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		try {
			for (int i = 0; i < figures.length; i++) {
				this.beat.putLong(8 * i, figures[i]);
			}
			out.write(WireRecords.BEAT, 0, this.beat.array(), 0, this.beat.capacity());
		}
		catch (IOException ex) {
			this.broken.accept(ex);
		}
		finally {
			this.writeLock.unlock();
		}
	}

	@Override
	public long lastWakeNanos() {
		return this.lastWriteNanos;
	}

	@Override
	public int capacity() {
		return this.capacity;
	}

	@Override
	public RingStatistics statistics() {
		return this.statistics;
	}

	@Override
	public long bytesWaiting() {
		return 0;
	}

	/**
	 * Closes this sink and, with it, the connection: a link closes its sink and its ring, and the
	 * socket and its receiving thread must go with them.
	 */
	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.writer.completeExceptionally(new ChannelClosedException("closed: " + this.where));
		this.closing.run();
	}

	@Override
	public Path file() {
		return null;
	}

	private void checkOpen() {
		if (this.closed) {
			throw new ChannelClosedException("channel closed: " + this.where);
		}
	}

}
