package io.vmworkers.protocol;

import java.time.Duration;
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
 * CLOSE   both ways         correlation id = 0         payload = null, the sender is finishing (a worker also
 *                                                      sends it when its JVM begins to exit)
 * CREDIT  both ways         correlation id = bytes     payload = none: the receiver consumed that many bytes of
 *                                                      DATA and BYTES payloads (taken by next() or an @OnData method)
 * </pre>
 * A worker's heartbeat is no frame: it publishes it in shared memory ({@link Link#beat}), where its
 * master reads it when it looks.
 */
public final class Frames {

	/** How often a worker publishes its beat (its heartbeat) for its master. */
	public static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(250);

	public static final int CALL = 1;

	public static final int RESULT = 2;

	public static final int ERROR = 3;

	public static final int DATA = 4;

	public static final int READY = 5;

	public static final int CLOSE = 6;

	public static final int BYTES = 8;

	public static final int CREDIT = 9;

	private Frames() {
	}

	/**
	 * Returns the protocol's own payload classes, for the codec to register by id so that frames do not carry their
	 * names: {@link Invocation}, what {@link RemoteThrowable} holds and {@link TracedData}. The JDK classes the other payloads use
	 * ({@code long[]}, the list of stack frames) are registered by the codec itself.
	 * @return the classes, in a fixed order
	 */
	public static List<Class<?>> payloadTypes() {
		return List.of(Invocation.class, RemoteThrowable.class, RemoteThrowable.Frame.class, TracedData.class);
	}

}
