package io.vmworkers.channel;

import java.time.Duration;

/**
 * The stream of objects between a master and one worker, injected into a
 * {@code @WorkerTask}'s constructor: the master's end on the master, the worker's end on the worker.
 * <p>
 * Objects go in order. On the receiving side they are delivered to the task's {@code @OnData}
 * methods when it has one for their type; otherwise they wait, in order, for {@link #next()}.
 * Called from within an {@code @OnData} method, {@link #next()} and {@link #poll()} return the
 * objects that follow the one being handled (a header, then its body).
 * <p>
 * A receiving side holds at most four times {@code vmworkers.channel.capacity} of objects not yet
 * taken, plus one: a producer that is further ahead waits in {@link #put}, so a slow consumer
 * slows its producer instead of filling its own heap. All methods are thread-safe.
 */
public interface WorkerChannel {

	/**
	 * Sends an object to the other side. Blocks while the other side holds too much unread or the
	 * ring is full, at most {@code vmworkers.channel.send-timeout} in all; on the master, waits for
	 * a restarting worker as a call does.
	 * @param object the object, not null, of a class the allow-list admits
	 * @throws io.vmworkers.codec.ClassNotAllowedException when its class (or one it holds) is not
	 * allowed; nothing is sent and the channel stays usable
	 * @throws ChannelFullException when the other side does not take what it receives in time;
	 * nothing is sent and the channel stays usable
	 * @throws ChannelInterruptedException when the waiting thread is interrupted (its interrupt flag
	 * is set again)
	 * @throws ChannelClosedException when the channel is closed
	 */
	void put(Object object);

	/**
	 * Returns the next object received, waiting as long as it takes.
	 * @param <T> the type expected
	 * @return the object
	 * @throws ChannelClosedException when the channel closes with nothing left to read
	 * @throws ChannelInterruptedException when the waiting thread is interrupted
	 */
	<T> T next();

	/**
	 * Returns the next object received, waiting at most {@code timeout}.
	 * @param <T> the type expected
	 * @param timeout the longest wait
	 * @return the object, or null when none arrived in time
	 * @throws ChannelClosedException when the channel closes with nothing left to read
	 * @throws ChannelInterruptedException when the waiting thread is interrupted
	 */
	<T> T next(Duration timeout);

	/**
	 * Returns the next object received if one is waiting.
	 * @param <T> the type expected
	 * @return the object, or null when none is waiting
	 */
	<T> T poll();

	/**
	 * Returns whether nothing is waiting to be read now.
	 * @return true when {@link #poll()} would return null
	 */
	boolean atEnd();

	/**
	 * Returns whether the channel is open: the other side is connected and neither side closed it.
	 * @return true while open
	 */
	boolean isOpen();

	/**
	 * Closes the channel and with it the worker: on the master this stops the worker, on the worker
	 * it tells the master this worker is finishing and exits.
	 */
	void close();

}
