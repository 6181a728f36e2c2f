package io.vmworkers.channel;

/**
 * Thrown when a thread is interrupted while it waits on a channel; the thread's interrupt flag is
 * set again.
 */
public class ChannelInterruptedException extends RuntimeException {

	public ChannelInterruptedException(String message) {
		super(message);
	}

}
