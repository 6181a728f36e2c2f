package io.vmworkers.channel;

/**
 * Thrown when the other side did not take what it holds unread, or make room in the ring,
 * within the send timeout. Nothing of the message is delivered and the channel stays usable.
 */
public class ChannelFullException extends RuntimeException {

	/**
	 * Creates the exception.
	 * @param message what happened, with the facts a user acts on
	 */
	public ChannelFullException(String message) {
		super(message);
	}

}
