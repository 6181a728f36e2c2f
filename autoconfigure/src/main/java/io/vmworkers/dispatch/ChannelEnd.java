package io.vmworkers.dispatch;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
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

	private static final long POLL_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private final String workerName;

	private final Runnable closeAction;

	private final Supplier<Endpoint> connector;

	private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();

	private volatile Endpoint endpoint;

	private volatile DataHandlers handlers;

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
	 * Called on the receiving thread for each DATA frame: to an {@code @OnData} method if one takes
	 * it, otherwise queued for {@link #next()}.
	 */
	void receive(Object object) {
		DataHandlers current = this.handlers;
		try {
			if (object != null && current != null && current.deliver(object)) {
				return;
			}
		}
		catch (Throwable ex) {
			logger.error("@OnData handler of worker '" + this.workerName + "' failed for "
					+ object.getClass().getName(), ex);
			return;
		}
		if (object != null) {
			this.inbox.add(object);
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

	@Override
	@SuppressWarnings("unchecked")
	public <T> T next(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			Object value = this.inbox.poll();
			if (value != null) {
				return (T) value;
			}
			if (!connected().isOpen() && this.inbox.isEmpty()) {
				throw new ChannelClosedException("channel to worker '" + this.workerName + "' is closed");
			}
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				return null;
			}
			try {
				// Wake up now and then to notice a closed channel.
				value = this.inbox.poll(Math.min(remaining, POLL_SLICE_NANOS), TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new ChannelClosedException("interrupted while waiting on the channel to worker '"
						+ this.workerName + "'");
			}
			if (value != null) {
				return (T) value;
			}
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
