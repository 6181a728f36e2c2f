package io.vmworkers.dispatch;

import java.util.List;

import io.vmworkers.codec.RemoteThrowable;

/**
 * Frame types of the vmworkers protocol, carried in each ring record's type field.
 * <pre>
 * CALL    master to worker  correlation id = call id   payload = Invocation
 * RESULT  worker to master  correlation id = call id   payload = the return value (may be null)
 * ERROR   worker to master  correlation id = call id   payload = RemoteThrowable
 * DATA    both ways         correlation id = 0         payload = the object put
 * BYTES   both ways         correlation id = 0         payload = a byte[] put, its bytes as they are, not
 *                                                      Kryo-encoded (one copy less); delivered as DATA
 * READY   worker to master  correlation id = worker pid payload = the handshake token, once the task bean exists
 * CLOSE   both ways         correlation id = 0         payload = null, the sender is finishing
 * </pre>
 * Type 7 was a heartbeat frame: a worker now writes its heartbeat into the channel's control area
 * ({@link io.vmworkers.channel.SharedRing#beat}), where the master reads it without being woken.
 * The layout version changed with it, so peers of different builds refuse each other's rings.
 */
public final class Frames {

	static final int CALL = 1;

	static final int RESULT = 2;

	static final int ERROR = 3;

	static final int DATA = 4;

	static final int READY = 5;

	static final int CLOSE = 6;

	static final int BYTES = 8;

	private Frames() {
	}

	/**
	 * Returns the protocol's own payload classes, for the codec to register by id so that frames do not carry their
	 * names: {@link Invocation} and what {@link RemoteThrowable} holds. The JDK classes the other payloads use
	 * (the list of stack frames) are registered by the codec itself.
	 * @return the classes, in a fixed order
	 */
	public static List<Class<?>> payloadTypes() {
		return List.of(Invocation.class, RemoteThrowable.class, RemoteThrowable.Frame.class);
	}

}
