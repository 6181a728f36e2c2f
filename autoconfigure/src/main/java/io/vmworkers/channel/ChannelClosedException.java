package io.vmworkers.channel;

/**
 * Thrown when the channel is closed: its worker was stopped, or the other side closed it.
 */
public class ChannelClosedException extends IllegalStateException {

	/**
	 * Creates the exception.
	 * @param message what happened, with the facts a user acts on
	 */
	public ChannelClosedException(String message) {
		super(message);
	}

}
