package io.vmworkers.protocol;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import io.vmworkers.channel.ChannelClosedException;
import io.vmworkers.channel.ChannelInterruptedException;
import io.vmworkers.channel.WorkerChannel;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.util.Assert;

/**
 * One side's end of a worker's channel. The same instance stays valid across worker restarts: its
 * {@link Links} give the current {@link Link} each time, and objects not yet read survive a
 * restart. On the master, every process of a pool feeds the same end; each object keeps its
 * origin, so that one replica's objects can be taken apart ({@link #nextFrom}).
 * <p>
 * What the other side puts passes through two queues. Arrivals wait for the {@code @OnData}
 * methods, which run one object at a time, in order, on the thread holding the delivery role:
 * never inside a read of the ring, so that a handler may itself call {@link #next()} (it then
 * takes the objects that follow the one it handles) or {@link #put}. What no handler takes moves
 * to the inbox of {@link #next()}. An object counts as consumed, and its bytes are returned to the
 * producer as credit, when a handler returns or {@code next()} takes it: so the two queues hold at
 * most the producer's window (see {@link Link}) however slowly the application consumes.
 * <p>
 * Handlers run on a thread of this end's own, started when they first have work; a worker's
 * receiving thread also runs them itself right after its read (see {@link #deliverArrivals}),
 * which spares a thread hand-off on every message.
 */
public final class ChannelEnd implements WorkerChannel {

	private static final Log logger = LogFactory.getLog(ChannelEnd.class);

	/** How long the delivery thread stays without work before it ends; the next arrival starts another. */
	private static final long DELIVERY_IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);

	private final String workerName;

	private final Runnable closeAction;

	private final Links links;

	/** Guards the queues, {@link #holding} and {@link #deliveryThread}. */
	private final Object lock = new Object();

	/** Objects read and not yet offered to the handlers, in arrival order. */
	private final ArrayDeque<Arrival> arrivals = new ArrayDeque<>();

	/** Objects no handler took, waiting for {@link #next()}, in arrival order. */
	private final ArrayDeque<Arrival> inbox = new ArrayDeque<>();

	/** The thread running handlers now, or null. */
	private final AtomicReference<Thread> deliverer = new AtomicReference<>();

	/** When the handler running now started (System.nanoTime()), or 0. */
	private volatile long handlerStart;

	/** The start of the last handler call reported as slow, so that each is reported once. */
	private volatile long reportedHandlerStart;

	private volatile DataHandlers handlers;

	private volatile Tracing tracing = Tracing.OFF;

	/** The thread that delivers arrivals itself after reading them, so is never signalled. */
	private volatile Thread inlineDeliverer;

	private boolean holding;

	private Thread deliveryThread;

	/** Set when the worker stops: the delivery thread ends as soon as it has nothing to deliver. */
	private boolean stopping;

	/** Threads waiting on {@link #lock} for an arrival, which {@link #arrive} then wakes. */
	private int waiting;

	/**
	 * Creates an end.
	 * @param workerName the worker's name
	 * @param closeAction what {@link #close()} does
	 * @param links the links it sends through and reads from
	 */
	public ChannelEnd(String workerName, Runnable closeAction, Links links) {
		this.workerName = workerName;
		this.closeAction = closeAction;
		this.links = links;
	}

	public void handlers(DataHandlers handlers) {
		this.handlers = handlers;
	}

	/**
	 * Has a {@code put} inside a span carry its trace to the other side, and handlers continue
	 * the trace an object came with.
	 * @param tracing the tracing
	 */
	public void tracing(Tracing tracing) {
		this.tracing = tracing;
	}

	/**
	 * Names the thread that calls {@link #deliverArrivals} after each of its reads, so that what it
	 * reads is not also handed to the delivery thread.
	 * @param thread the reading thread
	 */
	public void deliverInline(Thread thread) {
		this.inlineDeliverer = thread;
	}

	/**
	 * Keeps arriving data from the handlers until {@link #release()}: a worker started early may
	 * send before the {@code @OnData} methods that take its data are known.
	 */
	public void hold() {
		synchronized (this.lock) {
			this.holding = true;
		}
	}

	/**
	 * Delivers what arrived while held, in order, and delivers as it arrives from now on.
	 */
	public void release() {
		synchronized (this.lock) {
			if (!this.holding) {
				return;
			}
			this.holding = false;
		}
		deliverArrivals(Integer.MAX_VALUE);
		signalDelivery();
	}

	/**
	 * Takes an object the other side put; called by the thread that read it, which must not run
	 * the application's code here.
	 * @param object the object
	 * @param length its size on the ring, returned as credit once it is consumed
	 * @param source the link it came through, or null when it needs no credit
	 * @param origin who sent it (on the master, the replica), for {@link #nextFrom}; or null
	 */
	public void arrive(Object object, int length, Link source, Object origin) {
		Arrival arrival = (object instanceof TracedData traced)
				? new Arrival(traced.payload(), length, source, origin, traced.trace())
				: new Arrival(object, length, source, origin, null);
		synchronized (this.lock) {
			if (this.waiting > 0) {
				this.lock.notifyAll();
			}
			DataHandlers current = this.handlers;
			// Straight to the inbox when nothing is ahead of it and no handler takes it: next()
			// gets it without waiting for a delivery.
			if (!this.holding && this.arrivals.isEmpty() && this.deliverer.get() == null
					&& (current == null || !current.takes(arrival.object()))) {
				this.inbox.add(arrival);
				return;
			}
			this.arrivals.add(arrival);
		}
		if (Thread.currentThread() != this.inlineDeliverer) {
			signalDelivery();
		}
	}

	/**
	 * Has the delivery thread deliver what arrived, for a reading thread that will not.
	 */
	public void deliverElsewhere() {
		signalDelivery();
	}

	private void signalDelivery() {
		synchronized (this.lock) {
			if (this.arrivals.isEmpty() || this.holding) {
				return;
			}
			if (this.deliveryThread == null) {
				this.stopping = false;
				this.deliveryThread = new Thread(this::deliverInBackground, "vmworkers-" + this.workerName + "-data");
				this.deliveryThread.setDaemon(true);
				this.deliveryThread.start();
				return;
			}
			LockSupport.unpark(this.deliveryThread);
		}
	}

	/**
	 * Ends the delivery thread once it has delivered what arrived; an arrival after this starts a
	 * new one (a restarted worker keeps this end).
	 */
	public void stopDelivery() {
		synchronized (this.lock) {
			this.stopping = true;
			if (this.deliveryThread != null) {
				LockSupport.unpark(this.deliveryThread);
			}
		}
	}

	private void deliverInBackground() {
		long idleSince = System.nanoTime();
		while (true) {
			if (deliverArrivals(Integer.MAX_VALUE) > 0) {
				idleSince = System.nanoTime();
			}
			synchronized (this.lock) {
				if ((this.arrivals.isEmpty() || this.holding)
						&& (this.stopping || System.nanoTime() - idleSince >= DELIVERY_IDLE_NANOS)) {
					// Decided under the lock that signalDelivery takes: an arrival after this starts a new thread.
					this.deliveryThread = null;
					return;
				}
			}
			LockSupport.parkNanos(this, DELIVERY_IDLE_NANOS);
		}
	}

	/**
	 * Offers arrived objects to the handlers, in order, on the calling thread, unless another
	 * thread is delivering or the calling thread is already in a handler.
	 * @param max the most objects to take from the arrivals
	 * @return how many objects were taken
	 */
	public int deliverArrivals(int max) {
		Thread current = Thread.currentThread();
		int taken = 0;
		while (taken < max && this.deliverer.compareAndSet(null, current)) {
			try {
				Arrival arrival;
				while (taken < max && (arrival = nextArrival()) != null) {
					taken++;
					deliver(arrival);
				}
			}
			finally {
				this.deliverer.set(null);
			}
			synchronized (this.lock) {
				// An arrival while the role was held, whose reader saw it taken, is delivered here.
				if (this.arrivals.isEmpty() || this.holding) {
					break;
				}
			}
		}
		return taken;
	}

	private Arrival nextArrival() {
		synchronized (this.lock) {
			return this.holding ? null : this.arrivals.poll();
		}
	}

	private void deliver(Arrival arrival) {
		DataHandlers current = this.handlers;
		boolean taken;
		this.handlerStart = System.nanoTime();
		Tracing.Span span = (arrival.trace() != null && current != null && current.takes(arrival.object()))
				? this.tracing.receive(this.workerName, current.handlerName(arrival.object()), arrival.trace()) : null;
		try {
			taken = current != null && current.deliver(arrival.object());
		}
		catch (Throwable ex) {
			if (span != null) {
				span.failed(ex);
			}
			logger.error("@OnData handler of worker '" + this.workerName + "' failed for "
					+ arrival.object().getClass().getName(), ex);
			taken = true;
		}
		finally {
			this.handlerStart = 0;
			if (span != null) {
				span.end();
			}
		}
		if (taken) {
			arrival.consumed();
		}
		else {
			synchronized (this.lock) {
				this.inbox.add(arrival);
				if (this.waiting > 0) {
					this.lock.notifyAll();
				}
			}
		}
	}

	/**
	 * Logs, once per handler call, a handler that has run longer than {@code nanos}, with where it
	 * is: the data behind it waits, and the other side's {@code put} fails once its send timeout
	 * passes. Calls and heartbeats are not held up by it.
	 * @param nanos how long a handler may run before it is reported
	 */
	public void reportSlowHandler(long nanos) {
		long start = this.handlerStart;
		Thread thread = this.deliverer.get();
		if (start == 0 || thread == null || start == this.reportedHandlerStart || System.nanoTime() - start < nanos) {
			return;
		}
		this.reportedHandlerStart = start;
		StringBuilder stack = new StringBuilder();
		for (StackTraceElement element : thread.getStackTrace()) {
			stack.append(System.lineSeparator()).append("\tat ").append(element);
		}
		logger.warn("An @OnData handler of worker '" + this.workerName + "' has run for "
				+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms on thread " + thread.getName()
				+ "; the data behind it waits, and the sender's put fails after vmworkers.channel.send-timeout."
				+ " The handler is at:" + stack);
	}

	@Override
	public void put(Object object) {
		Assert.notNull(object, "'object' must not be null");
		putThrough(this.links.forPut(), object);
	}

	/**
	 * Sends an object through a link, with the trace it is put in, if any.
	 * @param link the link
	 * @param object the object, not null
	 */
	public void putThrough(Link link, Object object) {
		// A byte array keeps its copy-free path, untraced.
		Tracing.Span span = (object instanceof byte[]) ? null : this.tracing.startPut(this.workerName);
		if (span == null) {
			link.sendData(object);
			return;
		}
		try {
			link.sendData(new TracedData(span.context(), object));
		}
		catch (RuntimeException ex) {
			span.failed(ex);
			throw ex;
		}
		finally {
			span.end();
		}
	}

	@Override
	public <T> T next() {
		while (true) {
			T value = next(Duration.ofNanos(Link.READ_SLICE_NANOS));
			if (value != null) {
				return value;
			}
		}
	}

	/**
	 * Waits for the next object. With one link feeding this end, the waiting thread reads the
	 * ring itself when no other thread is reading, so that a ping-pong between the two sides costs
	 * no thread hand-off; with several, it waits for their receivers.
	 */
	@Override
	@SuppressWarnings("unchecked")
	public <T> T next(Duration timeout) {
		boolean inHandler = this.deliverer.get() == Thread.currentThread();
		T value = take(inHandler);
		if (value != null) {
			return value;
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		Link current = this.links.reader();
		if (current == null) {
			return awaitArrival(null, inHandler, deadline);
		}
		Object[] taken = new Object[1];
		current.enterWaiter();
		try {
			switch (current.readUntil(() -> (taken[0] = take(inHandler)) != null, deadline, this)) {
				case DONE -> {
					return (T) taken[0];
				}
				case TIMED_OUT -> {
					return null;
				}
				case INTERRUPTED -> throw new ChannelInterruptedException(
						"interrupted while waiting on the channel to worker '" + this.workerName + "'");
				default -> {
					// Closed: what arrived before still counts.
					value = take(inHandler);
					if (value != null) {
						return value;
					}
					throw new ChannelClosedException("channel to worker '" + this.workerName + "' is closed");
				}
			}
		}
		finally {
			current.exitWaiter();
		}
	}

	/**
	 * Waits on the lock until an object (from {@code origin}, or any when null) can be taken.
	 */
	private <T> T awaitArrival(Object origin, boolean inHandler, long deadline) {
		while (true) {
			T value = (origin != null) ? takeFrom(origin) : take(inHandler);
			if (value != null) {
				return value;
			}
			if (this.links.isClosed()) {
				throw new ChannelClosedException("channel to worker '" + this.workerName + "' is closed");
			}
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				return null;
			}
			synchronized (this.lock) {
				boolean arrived = (origin != null) ? indexFrom(origin) >= 0
						: !(inHandler ? this.arrivals : this.inbox).isEmpty();
				if (arrived) {
					continue;
				}
				this.waiting++;
				try {
					// Bounded, so that a closing channel is noticed without a signal of its own.
					TimeUnit.NANOSECONDS.timedWait(this.lock, Math.min(remaining, Link.READ_SLICE_NANOS));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new ChannelInterruptedException(
							"interrupted while waiting on the channel to worker '" + this.workerName + "'");
				}
				finally {
					this.waiting--;
				}
			}
		}
	}

	/**
	 * Waits for the next object that {@code origin} sent and no handler took.
	 * @param <T> the type expected
	 * @param origin the sender, as given to {@link #arrive}
	 * @param timeout the longest wait
	 * @return the object, or null when none arrived in time
	 */
	public <T> T nextFrom(Object origin, Duration timeout) {
		return awaitArrival(origin, false, System.nanoTime() + timeout.toNanos());
	}

	/**
	 * Takes the next object that {@code origin} sent and no handler took, if one is waiting.
	 * @param <T> the type expected
	 * @param origin the sender, as given to {@link #arrive}
	 * @return the object, or null
	 */
	@SuppressWarnings("unchecked")
	public <T> T takeFrom(Object origin) {
		Arrival arrival;
		synchronized (this.lock) {
			int index = indexFrom(origin);
			if (index < 0) {
				return null;
			}
			Iterator<Arrival> iterator = this.inbox.iterator();
			for (int i = 0; i < index; i++) {
				iterator.next();
			}
			arrival = iterator.next();
			iterator.remove();
		}
		arrival.consumed();
		return (T) arrival.object();
	}

	/**
	 * Returns whether an object that {@code origin} sent waits for {@code next()}.
	 * @param origin the sender, as given to {@link #arrive}
	 * @return true when {@link #takeFrom} would return one
	 */
	public boolean holdsFrom(Object origin) {
		synchronized (this.lock) {
			return indexFrom(origin) >= 0;
		}
	}

	private int indexFrom(Object origin) {
		int index = 0;
		for (Arrival arrival : this.inbox) {
			if (arrival.origin() == origin) {
				return index;
			}
			index++;
		}
		return -1;
	}

	/**
	 * Takes the next object for {@code next()}: from the inbox, or, in a handler, the object that
	 * follows the one being handled.
	 */
	@SuppressWarnings("unchecked")
	private <T> T take(boolean inHandler) {
		Arrival arrival;
		synchronized (this.lock) {
			arrival = inHandler ? this.arrivals.poll() : this.inbox.poll();
		}
		if (arrival == null) {
			return null;
		}
		arrival.consumed();
		return (T) arrival.object();
	}

	@Override
	public <T> T poll() {
		return take(this.deliverer.get() == Thread.currentThread());
	}

	@Override
	public boolean atEnd() {
		boolean inHandler = this.deliverer.get() == Thread.currentThread();
		synchronized (this.lock) {
			return inHandler ? this.arrivals.isEmpty() : this.inbox.isEmpty();
		}
	}

	@Override
	public boolean isOpen() {
		return this.links.isOpen();
	}

	@Override
	public void close() {
		this.closeAction.run();
	}

	@Override
	public String toString() {
		return "WorkerChannel[worker=" + this.workerName + ", open=" + isOpen() + "]";
	}

	/**
	 * The links an end sends through and reads from: on a worker its one link, on the
	 * master those of the worker's current processes.
	 */
	public interface Links {

		/**
		 * Returns the link a put goes to, waiting while none serves.
		 * @return an open link
		 * @throws ChannelClosedException when the channel is closed for good
		 */
		Link forPut();

		/**
		 * Returns the one link that feeds the end, for a waiting {@code next()} to read itself,
		 * waiting while it connects.
		 * @return the link, or null when several may feed the end
		 * @throws ChannelClosedException when the channel is closed for good
		 */
		Link reader();

		/**
		 * Returns whether a link is connected and open now.
		 * @return true while open
		 */
		boolean isOpen();

		/**
		 * Returns whether nothing can arrive any more: the worker is stopped, or failed for good.
		 * @return true when closed for good
		 */
		default boolean isClosed() {
			return !isOpen();
		}

		/**
		 * Returns the links of an end with one link for its whole life.
		 * @param link the link
		 * @return the links
		 */
		static Links of(Link link) {
			return new Links() {

				@Override
				public Link forPut() {
					return link;
				}

				@Override
				public Link reader() {
					return link;
				}

				@Override
				public boolean isOpen() {
					return link.isOpen();
				}

			};
		}

	}

	/**
	 * An object received, with what its consumption gives back to the producer and the trace it
	 * was put in (or null).
	 */
	private record Arrival(Object object, int length, Link source, Object origin, Map<String, String> trace) {

		void consumed() {
			if (this.source != null) {
				this.source.consumed(this.length);
			}
		}

	}

}
