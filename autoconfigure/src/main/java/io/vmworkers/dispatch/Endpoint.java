package io.vmworkers.dispatch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import io.vmworkers.channel.ChannelClosedException;
import io.vmworkers.channel.SharedRing;
import io.vmworkers.codec.KryoCodec;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One side of a connection: the ring it writes, the ring it reads, the codec, and who reads.
 * <p>
 * Reading is a role any thread may take, one at a time: a thread waiting for something from the
 * other side (a call's answer, the next object) reads the ring itself instead of waiting for
 * another thread to hand it over, which would cost a thread wake-up on every round trip. While
 * such {@linkplain #enterWaiter() waiters} exist, the background receiver stands aside; it reads
 * when nobody else does, for frames nobody waits for (data for {@code @OnData}, async answers).
 */
final class Endpoint {

	private static final Log logger = LogFactory.getLog(Endpoint.class);

	/**
	 * How long the background receiver sleeps on the ring before re-checking its state. Anything
	 * that needs it sooner wakes it (a frame, a waiter, closing): long, so an idle side costs
	 * nothing.
	 */
	private static final long RECEIVER_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

	/**
	 * How long after the last waiter left the background receiver still sleeps without spinning,
	 * and how long it stands aside when a waiter holds the read role.
	 */
	private static final long STANDBY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	/** How long a waiter parks while another thread reads; the reader unparks it sooner. */
	private static final long TURN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

	private static final int YIELDS = 10;

	/**
	 * How long a waiter spins (yielding) for an answer when its request had to wake the other side
	 * from its sleep: that side's wake-up takes about 100 us on a virtual machine, and a waiter that
	 * slept meanwhile would need a wake-up of its own, doubling the round trip after a silence.
	 */
	private static final long WOKEN_PEER_SPIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private final String workerName;

	private final SharedRing inbound;

	private final SharedRing outbound;

	private final KryoCodec codec;

	private final long sendTimeoutNanos;

	private final long spinNanos;

	private final FrameHandler handler;

	private final SharedRing.MessageHandler decoder = this::decode;

	private final ReentrantLock readRole = new ReentrantLock();

	private final AtomicInteger waiters = new AtomicInteger();

	private final Thread receiver;

	private volatile boolean open = true;


	private volatile long lastWaiterExit = System.nanoTime() - STANDBY_NANOS;

	Endpoint(String workerName, SharedRing inbound, SharedRing outbound, KryoCodec codec, Duration sendTimeout,
			FrameHandler handler) {
		this.workerName = workerName;
		this.inbound = inbound;
		this.outbound = outbound;
		this.codec = codec;
		this.sendTimeoutNanos = sendTimeout.toNanos();
		this.spinNanos = inbound.spinNanos();
		this.handler = handler;
		// What the codec would refuse to encode is corrupt when it arrives: refuse it unallocated.
		inbound.limitMessageLength(codec.maxMessageSize());
		this.receiver = new Thread(this::receive, "vmworkers-" + workerName + "-receiver");
		this.receiver.setDaemon(true);
	}

	void start() {
		this.receiver.start();
	}

	SharedRing inbound() {
		return this.inbound;
	}

	SharedRing outbound() {
		return this.outbound;
	}

	boolean isOpen() {
		return this.open;
	}

	boolean isReceiverThread() {
		return Thread.currentThread() == this.receiver;
	}

	/**
	 * Encodes and sends one frame. Encoding happens before anything is written, so a refused
	 * object leaves the ring untouched.
	 */
	void send(int type, long correlationId, Object payload) {
		if (!this.open) {
			throw new ChannelClosedException("channel to worker '" + this.workerName + "' is closed");
		}
		if (type == Frames.DATA && payload instanceof byte[] bytes) {
			// Straight from the array into the ring: no encoding, no copy into the codec's buffer.
			if (bytes.length > this.codec.maxMessageSize()) {
				throw new IllegalArgumentException("message exceeds maxMessageSize=" + this.codec.maxMessageSize()
						+ ", length=" + bytes.length + "; raise vmworkers.channel.max-message-size");
			}
			this.outbound.write(Frames.BYTES, correlationId, bytes, 0, bytes.length, this.sendTimeoutNanos);
			return;
		}
		this.codec.encode(payload, (buffer, length) -> this.outbound.write(type, correlationId, buffer, 0, length,
				this.sendTimeoutNanos));
	}

	/**
	 * Announces a thread that will wait for frames by calling {@link #poll}; the background receiver
	 * stands aside until the last waiter leaves.
	 */
	void enterWaiter() {
		this.waiters.incrementAndGet();
	}

	/**
	 * Ends {@link #enterWaiter()}. The receiver is not woken: it sleeps on the ring, and a frame
	 * that arrives with nobody reading wakes it.
	 */
	void exitWaiter() {
		this.lastWaiterExit = System.nanoTime();
		this.waiters.decrementAndGet();
	}

	/**
	 * Reads the frames available within {@code waitNanos}, if no other thread holds the read role.
	 * Frames are handed to the handler on the calling thread.
	 * @param waitNanos how long to wait for a frame
	 * @return false when another thread is reading
	 */
	boolean poll(long waitNanos) {
		if (!this.readRole.tryLock()) {
			return false;
		}
		try {
			if (this.open && this.inbound.awaitDataToRead(waitNanos, spinNanos())) {
				this.inbound.read(this.decoder, 64);
			}
		}
		catch (RuntimeException ex) {
			fail(ex);
		}
		finally {
			// While this thread spun, writers left the background receiver asleep.
			this.inbound.wakeSleepersIfUnread();
			this.readRole.unlock();
		}
		return true;
	}

	private long spinNanos() {
		boolean wokePeer = System.nanoTime() - this.outbound.lastWakeNanos() < WOKEN_PEER_SPIN_NANOS;
		return wokePeer ? Math.max(WOKEN_PEER_SPIN_NANOS, this.spinNanos) : this.spinNanos;
	}

	/**
	 * Waits a little for a turn at reading while another thread reads, for a waiter whose
	 * {@link #poll} returned false; the reader hands over what it reads for this waiter.
	 * @param blocker what the thread waits for, for thread dumps
	 * @param attempt how many times this waiter has waited already
	 */
	void awaitTurn(Object blocker, int attempt) {
		if (attempt < YIELDS) {
			// The reader is often about to let go (its own answer came): a yield is cheaper than a park.
			Thread.yield();
			return;
		}
		LockSupport.parkNanos(blocker, TURN_NANOS);
	}

	private void receive() {
		while (this.open) {
			// Sleep without the read role, so that a thread coming to wait can read at once. While
			// threads wait, and a little after (in a call loop the gaps between waits are short),
			// stand aside: sleep without spinning, which would take a core from them. A waiter
			// spinning for its answer keeps writers from waking this thread, so it wakes only for a
			// frame nobody is reading.
			boolean standAside = this.waiters.get() > 0
					|| System.nanoTime() - this.lastWaiterExit < STANDBY_NANOS;
			if (this.inbound.awaitData(RECEIVER_WAIT_NANOS, standAside ? 0 : this.spinNanos) && !poll(0)) {
				// A waiter holds the read role and reads what came.
				LockSupport.parkNanos(this, STANDBY_NANOS);
			}
			this.handler.afterPoll();
		}
	}

	private void fail(RuntimeException failure) {
		if (this.open) {
			logger.error("Channel of worker '" + this.workerName + "' failed; closing it", failure);
			close();
			this.handler.onFailed(failure);
		}
	}

	private void decode(int type, long correlationId, byte[] buffer, int offset, int length) {
		if (type == Frames.BYTES) {
			// Borrowed: handed on as a view, or kept, before the ring reuses its buffer.
			this.handler.onFrame(Frames.DATA, correlationId, new ReceivedBytes(this.inbound, buffer, offset, length));
			return;
		}
		Object payload;
		try {
			payload = this.codec.decode(buffer, offset, length);
		}
		catch (RuntimeException ex) {
			this.handler.onUndecodable(type, correlationId, ex);
			return;
		}
		this.handler.onFrame(type, correlationId, payload);
	}

	/**
	 * Stops receiving and wakes the threads of this process waiting on either ring.
	 */
	void close() {
		this.open = false;
		this.inbound.close();
		this.outbound.close();
		LockSupport.unpark(this.receiver);
	}

	/**
	 * Deletes both ring files; the mappings stay valid until collected.
	 */
	void deleteFiles() {
		for (Path file : new Path[] { this.inbound.file(), this.outbound.file() }) {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				logger.warn("Could not delete channel file " + file + ": " + ex.getMessage());
			}
		}
	}

	/** Receives the frames decoded by an {@link Endpoint}, on the thread that read them. */
	interface FrameHandler {

		void onFrame(int type, long correlationId, Object payload);

		/** A frame whose payload could not be decoded (for example a refused class). */
		void onUndecodable(int type, long correlationId, RuntimeException failure);

		/** The channel failed (for example a corrupt record); the endpoint is already closed. */
		void onFailed(RuntimeException failure);

		/** Called on the background receiver after each poll, outside the read role. */
		default void afterPoll() {
		}

	}

}
