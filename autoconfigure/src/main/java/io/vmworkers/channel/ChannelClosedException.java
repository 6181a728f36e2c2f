package io.vmworkers.channel;

/**
 * Thrown when the channel is closed.
 */
public class ChannelClosedException extends IllegalStateException {

	public ChannelClosedException(String message) {
		super(message);
	}

}
