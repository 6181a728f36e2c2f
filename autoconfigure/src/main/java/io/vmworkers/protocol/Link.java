package io.vmworkers.protocol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import io.vmworkers.channel.ChannelClosedException;
import io.vmworkers.channel.ChannelCorruptedException;
import io.vmworkers.channel.ChannelFullException;
import io.vmworkers.channel.ChannelInterruptedException;
import io.vmworkers.channel.FrameSink;
import io.vmworkers.channel.IdleStrategy;
import io.vmworkers.channel.SharedRing;
import io.vmworkers.codec.KryoCodec;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One side of the connection between master and worker: the ring it reads, where it writes (the
 * other side's ring, or a TCP connection feeding it), the codec, and who reads.
 * <p>
 * Reading is a role any thread may take, one at a time: a thread waiting for something from the
 * other side (a call's answer, the next object) reads the ring itself instead of waiting for
 * another thread to hand it over, which would cost a thread wake-up on every round trip. While
 * such {@linkplain #enterWaiter() waiters} exist, the background receiver stands aside; it reads
 * when nobody else does, for frames nobody waits for (data for {@code @OnData}, async answers).
 * No user code runs while a thread reads: data goes to the {@link ChannelEnd}'s queues, so replies,
 * heartbeats and credits are read however slowly the application consumes its data.
 * <p>
 * Data is flow-controlled by credits: a side sends data while fewer than {@link #unreadWindow} bytes
 * it sent are unconsumed by the other side (taken by {@code next()} or an {@code @OnData} method),
 * and the consumer returns credit in {@link Frames#CREDIT} frames. A consumer that does not keep up
 * therefore makes the producer's {@code put} wait (then fail after the send timeout) instead of
 * growing its own heap; replies and heartbeats are never held back by unread data.
 */
public final class Link {

	private static final Log logger = LogFactory.getLog(Link.class);

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
	 * How many rings' worth of data a side may hold unconsumed: enough for a producer to keep the
	 * ring full while the consumer's credit travels back.
	 */
	static final int UNREAD_WINDOW_RINGS = 4;

	/**
	 * The longest a waiting thread sleeps on the ring (or, waiting for credit, on its monitor)
	 * before it looks at its own state again (a deadline, an interrupt, a closed channel): what
	 * it waits for wakes it sooner.
	 */
	public static final long READ_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private static final byte[] NO_PAYLOAD = new byte[0];

	/**
	 * How long a waiter spins (yielding) for an answer when its request had to wake the other side
	 * from its sleep: that side's wake-up takes many round trips' time, and a waiter that
	 * slept meanwhile would need a wake-up of its own, doubling the round trip after a silence.
	 */
	private static final long WOKEN_PEER_SPIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private final String workerName;

	private final SharedRing inbound;

	private final FrameSink outbound;

	private final KryoCodec codec;

	private final long sendTimeoutNanos;

	private final long spinNanos;

	private final FrameHandler handler;

	private final SharedRing.MessageHandler decoder = this::decode;

	private final ReentrantLock readRole = new ReentrantLock();

	private final AtomicInteger waiters = new AtomicInteger();

	private final Thread receiver;

	private final ReceiverWait receiverWait;

	private volatile boolean open = true;

	/** Bytes of data this side sent on this connection. */
	private final AtomicLong dataSent = new AtomicLong();

	/** Bytes of data the other side reported consumed. */
	private final AtomicLong dataCredited = new AtomicLong();

	/** Bytes of data this side consumed and has not yet reported. */
	private final AtomicLong unreported = new AtomicLong();

	private final Object creditArrived = new Object();

	/** Actions for after the current read, used by the thread holding the read role only. */
	private List<Runnable> deferred;

	private volatile long lastWaiterExit = System.nanoTime() - STANDBY_NANOS;

	public Link(String workerName, SharedRing inbound, FrameSink outbound, KryoCodec codec, Duration sendTimeout,
			FrameHandler handler) {
		this(workerName, inbound, outbound, codec, sendTimeout, IdleStrategy.ADAPTIVE, handler);
	}

	/**
	 * Creates one side of a connection; {@link #start()} starts its background receiver.
	 * @param workerName the worker's name, for thread names and messages
	 * @param inbound the ring this side reads
	 * @param outbound the ring this side writes
	 * @param codec the codec
	 * @param sendTimeout how long a sender waits for room
	 * @param idle how the background receiver waits for frames
	 * @param handler what receives the frames
	 */
	public Link(String workerName, SharedRing inbound, FrameSink outbound, KryoCodec codec, Duration sendTimeout,
			IdleStrategy idle, FrameHandler handler) {
		this.workerName = workerName;
		this.inbound = inbound;
		this.outbound = outbound;
		this.codec = codec;
		this.sendTimeoutNanos = sendTimeout.toNanos();
		this.spinNanos = inbound.spinNanos();
		this.handler = handler;
		this.receiverWait = new ReceiverWait(inbound, idle);
		// What the codec would refuse to encode is corrupt when it arrives: refuse it unallocated.
		inbound.limitMessageLength(codec.maxMessageSize());
		this.receiver = new Thread(this::receive, "vmworkers-" + workerName + "-receiver");
		this.receiver.setDaemon(true);
	}

	public void start() {
		this.receiver.start();
	}

	public SharedRing inbound() {
		return this.inbound;
	}

	public FrameSink outbound() {
		return this.outbound;
	}

	public boolean isOpen() {
		return this.open;
	}

	public Thread receiverThread() {
		return this.receiver;
	}

	public boolean isReceiverThread() {
		return Thread.currentThread() == this.receiver;
	}

	/**
	 * Encodes and sends one frame, waiting at most the send timeout for room. Encoding happens
	 * before anything is written, so a refused object leaves the ring untouched.
	 */
	public void send(int type, long correlationId, Object payload) {
		send(type, correlationId, payload, this.sendTimeoutNanos);
	}

	/**
	 * Encodes and sends one frame, waiting at most {@code timeoutNanos} for room.
	 */
	public void send(int type, long correlationId, Object payload, long timeoutNanos) {
		checkOpen();
		try {
			this.codec.encode(payload,
					(buffer, length) -> this.outbound.write(type, correlationId, buffer, 0, length, timeoutNanos));
		}
		catch (ChannelCorruptedException ex) {
			fail(ex);
			throw ex;
		}
	}

	/**
	 * Sends an object put on the channel, once the other side has consumed enough of the data
	 * sent before: waits for credit, then for room, within one send timeout.
	 * @param object the object
	 * @throws ChannelFullException when the other side consumes too slowly
	 */
	public void sendData(Object object) {
		checkOpen();
		long timeout = this.sendTimeoutNanos;
		if (unconsumed() >= unreadWindow(this.outbound)) {
			// The clock is read only when there is something to wait for: most puts never wait.
			long deadline = System.nanoTime() + timeout;
			awaitCredit(deadline);
			timeout = remaining(deadline);
		}
		try {
			writeData(object, timeout);
		}
		catch (ChannelCorruptedException ex) {
			fail(ex);
			throw ex;
		}
	}

	private void writeData(Object object, long timeoutNanos) {
		if (object instanceof byte[] bytes) {
			// Straight from the array into the ring: no encoding, no copy into the codec's buffer.
			if (bytes.length > this.codec.maxMessageSize()) {
				throw new IllegalArgumentException("message exceeds maxMessageSize=" + this.codec.maxMessageSize()
						+ ", length=" + bytes.length + "; raise vmworkers.channel.max-message-size");
			}
			this.outbound.write(Frames.BYTES, 0L, bytes, 0, bytes.length, timeoutNanos);
			this.dataSent.addAndGet(bytes.length);
			return;
		}
		this.codec.encode(object, (buffer, length) -> {
			this.outbound.write(Frames.DATA, 0L, buffer, 0, length, timeoutNanos);
			this.dataSent.addAndGet(length);
		});
	}

	/**
	 * Returns the bytes of data this side sent that the other side has not reported consumed.
	 * @return the bytes
	 */
	public long unconsumed() {
		return this.dataSent.get() - this.dataCredited.get();
	}

	private static long remaining(long deadline) {
		return Math.max(0, deadline - System.nanoTime());
	}

	private void checkOpen() {
		if (!this.open) {
			throw new ChannelClosedException("channel to worker '" + this.workerName + "' is closed");
		}
	}

	/**
	 * Returns the most bytes of data a side holds unconsumed before its producer waits.
	 * @param ring the ring the data travels through
	 * @return the window in bytes
	 */
	static long unreadWindow(FrameSink ring) {
		return (long) UNREAD_WINDOW_RINGS * ring.capacity();
	}

	/**
	 * Waits until the data sent and not yet consumed is under the window. One message may exceed
	 * it, so that a message larger than the window still goes through, alone.
	 */
	private void awaitCredit(long deadline) {
		long window = unreadWindow(this.outbound);
		while (this.dataSent.get() - this.dataCredited.get() >= window) {
			checkOpen();
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				throw new ChannelFullException("worker '" + this.workerName + "': the other side holds "
						+ (this.dataSent.get() - this.dataCredited.get()) + " bytes of data unconsumed (window="
						+ window + ", " + UNREAD_WINDOW_RINGS + " x vmworkers.channel.capacity) after "
						+ TimeUnit.NANOSECONDS.toMillis(this.sendTimeoutNanos)
						+ " ms; it does not take what it receives (next() or @OnData) fast enough"
						+ " (raise vmworkers.channel.send-timeout or consume faster)");
			}
			// Read the credit ourselves when nobody else is reading; otherwise the reader wakes us.
			if (!poll(Math.min(remaining, READ_SLICE_NANOS))) {
				synchronized (this.creditArrived) {
					if (this.dataSent.get() - this.dataCredited.get() >= window) {
						try {
							TimeUnit.NANOSECONDS.timedWait(this.creditArrived, READ_SLICE_NANOS);
						}
						catch (InterruptedException ex) {
							Thread.currentThread().interrupt();
						}
					}
				}
			}
			if (Thread.currentThread().isInterrupted()) {
				throw new ChannelInterruptedException("interrupted while waiting for the other side of worker '"
						+ this.workerName + "' to consume data; nothing was sent");
			}
		}
	}

	/**
	 * Records data this side consumed, and returns credit to the producer once a quarter of the
	 * window has been consumed: rarely enough to cost nothing per message, often enough that a
	 * producer waiting for credit (it waits only with a whole window unconsumed) always gets it.
	 * @param bytes the payload's length as it crossed the ring
	 */
	void consumed(int bytes) {
		long total = this.unreported.addAndGet(bytes);
		// A quarter of the window: one ring's worth.
		if (total >= this.inbound.capacity()) {
			reportCredit(this.sendTimeoutNanos);
		}
	}

	/**
	 * Returns the credit for data consumed since the last report, however little: called with each
	 * heartbeat, so that the producer's count of unconsumed data is exact within a beat once the
	 * data stops. A drain before a stop waits on that count; without this, the remainder under a
	 * ring's worth would look unconsumed for ever, and every drain after data would wait out the
	 * shutdown timeout. Sends nothing when nothing was consumed since: an idle side is not woken.
	 * Never waits for room: the heartbeat's thread calls it, and a full ring keeps it for the next.
	 */
	public void flushCredit() {
		if (this.unreported.get() > 0) {
			reportCredit(0);
		}
	}

	private void reportCredit(long timeoutNanos) {
		if (!this.open) {
			return;
		}
		long credit = this.unreported.getAndSet(0);
		if (credit <= 0) {
			return;
		}
		try {
			this.outbound.write(Frames.CREDIT, credit, NO_PAYLOAD, 0, 0, timeoutNanos);
		}
		catch (RuntimeException ex) {
			// Not sent (closed, full, or the producer stopped reading): kept for the next attempt.
			this.unreported.addAndGet(credit);
		}
	}

	private void creditReceived(long bytes) {
		this.dataCredited.addAndGet(bytes);
		synchronized (this.creditArrived) {
			this.creditArrived.notifyAll();
		}
	}

	/**
	 * Announces a thread that will wait for frames by calling {@link #poll}; the background receiver
	 * stands aside until the last waiter leaves.
	 */
	public void enterWaiter() {
		this.waiters.incrementAndGet();
	}

	/**
	 * Ends {@link #enterWaiter()}. The receiver is not woken: it sleeps on the ring, and a frame
	 * that arrives with nobody reading wakes it.
	 */
	public void exitWaiter() {
		this.lastWaiterExit = System.nanoTime();
		this.waiters.decrementAndGet();
	}

	/**
	 * Reads the frames available within {@code waitNanos}, if no other thread holds the read role.
	 * Frames are handed to the handler on the calling thread.
	 * @param waitNanos how long to wait for a frame
	 * @return false when another thread is reading
	 */
	public boolean poll(long waitNanos) {
		if (this.readRole.isHeldByCurrentThread()) {
			// Only vmworkers code runs while a thread reads; reading again there would hand out the
			// record being read a second time.
			throw new IllegalStateException("channel of worker '" + this.workerName + "' read from within a read");
		}
		if (!this.readRole.tryLock()) {
			return false;
		}
		List<Runnable> completions;
		try {
			if (this.open && this.inbound.awaitDataToRead(waitNanos, spinNanos())) {
				this.inbound.read(this.decoder, 64);
			}
		}
		catch (RuntimeException ex) {
			fail(ex);
		}
		finally {
			completions = takeDeferred();
			// While this thread spun, writers left the background receiver asleep.
			this.inbound.wakeSleepersIfUnread();
			this.readRole.unlock();
		}
		if (completions != null) {
			completions.forEach(Runnable::run);
		}
		return true;
	}

	/**
	 * Runs an action once the reading thread has let go of the read role: for what may run the
	 * application's code, such as completing an asynchronous call's future.
	 * @param action the action; called only on the reading thread, from a frame handler
	 */
	public void afterRead(Runnable action) {
		if (this.deferred == null) {
			this.deferred = new ArrayList<>(4);
		}
		this.deferred.add(action);
	}

	private List<Runnable> takeDeferred() {
		List<Runnable> taken = this.deferred;
		this.deferred = null;
		return taken;
	}

	private long spinNanos() {
		boolean wokePeer = System.nanoTime() - this.outbound.lastWakeNanos() < WOKEN_PEER_SPIN_NANOS;
		return wokePeer ? Math.max(WOKEN_PEER_SPIN_NANOS, this.spinNanos) : this.spinNanos;
	}

	/**
	 * Waits until {@code done} holds, reading the ring itself whenever no other thread reads, so
	 * that what it waits for (a call's answer, the next object) costs no thread hand-off, and
	 * parking briefly while another thread reads, which hands over what it reads. This is the one
	 * loop in which threads of either side wait on a channel; the calling thread must have
	 * announced itself with {@link #enterWaiter()}.
	 * @param done whether the wait is over; checked before each read
	 * @param deadline a System.nanoTime() value
	 * @param blocker what the thread waits for, for thread dumps
	 * @return why the wait ended; the interrupt flag is left set
	 */
	public Wait readUntil(BooleanSupplier done, long deadline, Object blocker) {
		int attempt = 0;
		while (!done.getAsBoolean()) {
			if (!this.open) {
				return Wait.CLOSED;
			}
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				return Wait.TIMED_OUT;
			}
			if (!poll(Math.min(remaining, READ_SLICE_NANOS))) {
				awaitTurn(blocker, attempt++);
			}
			if (Thread.currentThread().isInterrupted()) {
				return Wait.INTERRUPTED;
			}
		}
		return Wait.DONE;
	}

	/**
	 * Waits a little for a turn at reading while another thread reads, for a waiter whose
	 * {@link #poll} returned false; the reader hands over what it reads for this waiter.
	 */
	private void awaitTurn(Object blocker, int attempt) {
		if (attempt < YIELDS) {
			// The reader is often about to let go (its own answer came): a yield is cheaper than a park.
			Thread.yield();
			return;
		}
		LockSupport.parkNanos(blocker, TURN_NANOS);
	}

	/** Why {@link #readUntil} returned. */
	public enum Wait {

		/** What the thread waited for happened. */
		DONE,

		/** The channel closed first. */
		CLOSED,

		/** The deadline passed first. */
		TIMED_OUT,

		/** The thread was interrupted. */
		INTERRUPTED

	}

	private void receive() {
		boolean idle = false;
		while (this.open) {
			// Sleep without the read role, so that a thread coming to wait can read at once. While
			// threads wait, and a little after (in a call loop the gaps between waits are short),
			// stand aside: sleep without spinning, which would take a core from them. A waiter
			// spinning for its answer keeps writers from waking this thread, so it wakes only for a
			// frame nobody is reading. After a whole wait without a frame, the side is idle: unless
			// told to spin, it sleeps again at once, as a spin matters only right after traffic.
			boolean othersRead = this.waiters.get() > 0 || System.nanoTime() - this.lastWaiterExit < STANDBY_NANOS;
			boolean arrived = this.receiverWait.await(RECEIVER_WAIT_NANOS, othersRead, idle);
			idle = !arrived;
			if (arrived && !poll(0)) {
				// A waiter holds the read role and reads what came.
				LockSupport.parkNanos(this, STANDBY_NANOS);
			}
			this.handler.afterPoll();
			if (arrived) {
				this.receiverWait.handled();
			}
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
		if (type == Frames.CREDIT) {
			creditReceived(correlationId);
			return;
		}
		if (type == Frames.BYTES) {
			// Kept, not borrowed: the application may take it long after the ring reused its buffer.
			this.handler.onData(this.inbound.keep(buffer, offset, length), length);
			return;
		}
		Object payload;
		try {
			payload = this.codec.decode(buffer, offset, length);
		}
		catch (RuntimeException ex) {
			if (type == Frames.DATA) {
				// Never delivered, but consumed: the producer's credit must not leak.
				consumed(length);
			}
			this.handler.onUndecodable(type, correlationId, ex);
			return;
		}
		if (type == Frames.DATA) {
			this.handler.onData(payload, length);
			return;
		}
		this.handler.onFrame(type, correlationId, payload);
	}

	/**
	 * Stops receiving and wakes the threads of this process waiting on either ring or for credit.
	 */
	public void close() {
		this.open = false;
		this.inbound.close();
		this.outbound.close();
		LockSupport.unpark(this.receiver);
		synchronized (this.creditArrived) {
			this.creditArrived.notifyAll();
		}
	}

	/**
	 * Ends this link because the other side ended the connection under it (a TCP connection closed or
	 * lost), after what arrived before it was read: closes this side and tells the handler, unless
	 * this side closed first.
	 * @param cause what the transport saw
	 */
	public void otherSideGone(RuntimeException cause) {
		if (this.open) {
			close();
			this.handler.onOtherSideGone(cause);
		}
	}

	/**
	 * Publishes this side's sign of life and figures for the other side to read when it looks
	 * ({@link #lastBeat()}): no frame is sent and no one is woken.
	 * @param figures heap used, heap max, heap used after the last collection
	 */
	public void beat(long... figures) {
		this.outbound.publishBeat(figures);
	}

	/**
	 * Returns the other side's last beat.
	 * @return its number (1 for the first) and its figures, or null before the first
	 */
	public long[] lastBeat() {
		return this.inbound.readBeat();
	}

	/**
	 * Deletes both ring files, if the rings have files; the mappings stay valid until collected.
	 */
	public void deleteFiles() {
		for (Path file : new Path[] { this.inbound.file(), this.outbound.file() }) {
			if (file == null) {
				continue;
			}
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				logger.warn("Could not delete channel file " + file + ": " + ex.getMessage());
			}
		}
	}

	/**
	 * Returns whether a ring file of this link was deleted by someone else.
	 * @return false as long as both files exist, and always for rings in memory
	 */
	public boolean lostFile() {
		Path in = this.inbound.file();
		Path out = this.outbound.file();
		return (in != null && !Files.exists(in)) || (out != null && !Files.exists(out));
	}

	/** Receives the frames decoded by a {@link Link}, on the thread that read them. */
	public interface FrameHandler {

		/** A frame other than data and credit. */
		void onFrame(int type, long correlationId, Object payload);

		/**
		 * An object the other side put.
		 * @param payload the object
		 * @param length its size as it crossed the ring, which the consumer returns as credit
		 */
		void onData(Object payload, int length);

		/** A frame whose payload could not be decoded (for example a refused class). */
		void onUndecodable(int type, long correlationId, RuntimeException failure);

		/** The channel failed (for example a corrupt record); the link is already closed. */
		void onFailed(RuntimeException failure);

		/**
		 * The other side ended the connection (see {@link Link#otherSideGone}); the link is already
		 * closed. By default a failure.
		 */
		default void onOtherSideGone(RuntimeException cause) {
			onFailed(cause);
		}

		/** Called on the background receiver after each poll, outside the read role. */
		default void afterPoll() {
		}

	}

}
