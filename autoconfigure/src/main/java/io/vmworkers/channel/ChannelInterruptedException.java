package io.vmworkers.channel;

/**
 * Thrown when a thread is interrupted while it waits on the channel (for the write lock or for
 * room). The thread's interrupt flag is set again before this is thrown.
 */
public class ChannelInterruptedException extends RuntimeException {

	/**
	 * Creates the exception.
	 * @param message what happened, with the facts a user acts on
	 */
	public ChannelInterruptedException(String message) {
		super(message);
	}

}
