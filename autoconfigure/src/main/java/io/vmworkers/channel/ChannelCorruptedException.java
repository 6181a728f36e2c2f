package io.vmworkers.channel;

/**
 * Thrown when a record in the ring is impossible, so the channel cannot be trusted.
 */
public class ChannelCorruptedException extends RuntimeException {

	public ChannelCorruptedException(String message) {
		super(message);
	}

}
