package io.vmworkers.channel;

/**
 * Thrown when the ring stayed full longer than the send timeout.
 */
public class ChannelFullException extends RuntimeException {

	public ChannelFullException(String message) {
		super(message);
	}

}
