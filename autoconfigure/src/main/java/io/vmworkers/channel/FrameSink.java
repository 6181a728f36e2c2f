package io.vmworkers.channel;

import java.nio.file.Path;

/**
 * Where one side of a channel writes its frames: a {@link SharedRing} in shared memory, or a TCP
 * connection ({@link io.vmworkers.channel.tcp.TcpChannel}). What it writes arrives, in order and
 * checksummed, at the other side's inbound ring.
 */
public interface FrameSink {

	/**
	 * Writes one message, waiting at most {@code timeoutNanos} for room (or, on a connection not yet
	 * made, for the connection).
	 * @param type the frame type, 0 to 0xFFFD
	 * @param correlationId the frame's correlation id, 0 to {@link RingDescriptor#MAX_CORRELATION_ID}
	 * @param source the payload
	 * @param offset where the payload starts in {@code source}
	 * @param length the payload's length
	 * @param timeoutNanos how long to wait, in all
	 * @throws ChannelFullException when the message could not be written in time
	 * @throws ChannelInterruptedException when the thread is interrupted while it waits
	 * @throws ChannelClosedException when this side or the connection is closed
	 */
	void write(int type, long correlationId, byte[] source, int offset, int length, long timeoutNanos);

	/**
	 * Publishes this side's beat (a sign of life with its figures) for the other side to read when it
	 * looks; never waits for room.
	 * @param figures the figures, {@link RingDescriptor#BEAT_FIGURES} of them
	 */
	void publishBeat(long... figures);

	/**
	 * Returns when this side last had to wake the other side's reader from its sleep.
	 * @return a {@link System#nanoTime()} value; long ago when it never had to
	 */
	long lastWakeNanos();

	/**
	 * Returns the capacity of the ring the other side reads, which sizes the data window.
	 * @return the capacity in bytes
	 */
	int capacity();

	/**
	 * Returns what this side wrote, counted as it goes.
	 * @return the statistics
	 */
	RingStatistics statistics();

	/**
	 * Returns the bytes written that the other side has not yet taken, as far as this side sees.
	 * @return the bytes; 0 where it cannot see them (a socket)
	 */
	long bytesWaiting();

	/**
	 * Closes this side: writes fail from now on, and threads waiting to write are woken.
	 */
	void close();

	/**
	 * Returns the file behind this sink.
	 * @return the path, or null when none (a ring in memory, a socket)
	 */
	Path file();

}
