package io.vmworkers.channel;

/**
 * Thrown when a record in the ring is impossible, so the channel cannot be trusted.
 */
public class ChannelCorruptedException extends RuntimeException {

	/**
	 * Creates the exception.
	 * @param message what happened, with the facts a user acts on
	 */
	public ChannelCorruptedException(String message) {
		super(message);
	}

}
