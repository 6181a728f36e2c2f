package io.vmworkers.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.vmworkers.channel.ChannelClosedException;
import io.vmworkers.channel.WorkerChannel;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.util.Assert;

/**
 * One side's end of a worker's channel. The same instance stays valid across worker restarts: it
 * is bound to each new {@link Endpoint} in turn, and objects not yet read survive a rebind.
 */
final class ChannelEnd implements WorkerChannel {

	private static final Log logger = LogFactory.getLog(ChannelEnd.class);

	private static final long POLL_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private final String workerName;

	private final Runnable closeAction;

	private final Supplier<Endpoint> connector;

	private final Queue<Object> inbox = new ConcurrentLinkedQueue<>();

	private volatile Endpoint endpoint;

	private volatile DataHandlers handlers;

	/** Data that arrived while held, in order; null when not holding. Changed under this. */
	private volatile List<Object> held;

	/**
	 * Creates an end.
	 * @param workerName the worker's name
	 * @param closeAction what {@link #close()} does
	 * @param connector returns the endpoint once connected, waiting for it if need be, or throws
	 * {@link ChannelClosedException}
	 */
	ChannelEnd(String workerName, Runnable closeAction, Supplier<Endpoint> connector) {
		this.workerName = workerName;
		this.closeAction = closeAction;
		this.connector = connector;
	}

	private Endpoint connected() {
		Endpoint current = this.endpoint;
		return (current != null) ? current : this.connector.get();
	}

	void bind(Endpoint endpoint) {
		this.endpoint = endpoint;
	}

	void handlers(DataHandlers handlers) {
		this.handlers = handlers;
	}

	/**
	 * Keeps arriving data aside until {@link #release()}: a worker started early may send before
	 * the {@code @OnData} methods that take its data are known.
	 */
	synchronized void hold() {
		if (this.held == null) {
			this.held = new ArrayList<>();
		}
	}

	/**
	 * Delivers what arrived while held, in order, and delivers as it arrives from now on.
	 */
	synchronized void release() {
		List<Object> waiting = this.held;
		if (waiting == null) {
			return;
		}
		waiting.forEach(this::deliver);
		this.held = null;
	}

	/**
	 * Called on the receiving thread for each DATA frame: to an {@code @OnData} method if one takes
	 * it, otherwise queued for {@link #next()}.
	 */
	void receive(Object object) {
		if (this.held != null) {
			synchronized (this) {
				List<Object> waiting = this.held;
				if (waiting != null) {
					waiting.add(ReceivedBytes.owned(object));
					return;
				}
			}
		}
		deliver(object);
	}

	private void deliver(Object object) {
		DataHandlers current = this.handlers;
		try {
			if (object != null && current != null && current.deliver(object)) {
				return;
			}
		}
		catch (Throwable ex) {
			logger.error("@OnData handler of worker '" + this.workerName + "' failed for "
					+ DataHandlers.payloadClass(object).getName(), ex);
			return;
		}
		if (object != null) {
			this.inbox.add(ReceivedBytes.owned(object));
		}
	}

	@Override
	public void put(Object object) {
		Assert.notNull(object, "'object' must not be null");
		connected().send(Frames.DATA, 0L, object);
	}

	@Override
	public <T> T next() {
		while (true) {
			T value = next(Duration.ofNanos(POLL_SLICE_NANOS));
			if (value != null) {
				return value;
			}
		}
	}

	/**
	 * Waits for the next object, reading the ring itself when no other thread is reading, so that
	 * a ping-pong between the two sides costs no thread hand-off.
	 */
	@Override
	@SuppressWarnings("unchecked")
	public <T> T next(Duration timeout) {
		Object value = this.inbox.poll();
		if (value != null) {
			return (T) value;
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		Endpoint current = connected();
		current.enterWaiter();
		try {
			int attempt = 0;
			while (true) {
				value = this.inbox.poll();
				if (value != null) {
					return (T) value;
				}
				if (!current.isOpen()) {
					value = this.inbox.poll();
					if (value != null) {
						return (T) value;
					}
					throw new ChannelClosedException("channel to worker '" + this.workerName + "' is closed");
				}
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return null;
				}
				if (!current.poll(Math.min(remaining, POLL_SLICE_NANOS))) {
					current.awaitTurn(this, attempt++);
				}
				if (Thread.currentThread().isInterrupted()) {
					throw new ChannelClosedException(
							"interrupted while waiting on the channel to worker '" + this.workerName + "'");
				}
			}
		}
		finally {
			current.exitWaiter();
		}
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T poll() {
		return (T) this.inbox.poll();
	}

	@Override
	public boolean atEnd() {
		return this.inbox.isEmpty();
	}

	@Override
	public boolean isOpen() {
		Endpoint current = this.endpoint;
		return current != null && current.isOpen();
	}

	@Override
	public void close() {
		this.closeAction.run();
	}

	@Override
	public String toString() {
		return "WorkerChannel[worker=" + this.workerName + ", open=" + isOpen() + "]";
	}

}
