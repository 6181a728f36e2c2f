package io.vmworkers.dispatch;

/**
 * Frame types of the vmworkers protocol, carried in each ring record's type field.
 * <pre>
 * CALL    master to worker  correlation id = call id   payload = Invocation
 * RESULT  worker to master  correlation id = call id   payload = the return value (may be null)
 * ERROR   worker to master  correlation id = call id   payload = RemoteThrowable
 * DATA    both ways         correlation id = 0         payload = the object put
 * READY   worker to master  correlation id = worker pid payload = the handshake token, once the task bean exists
 * CLOSE   both ways         correlation id = 0         payload = null, the sender is finishing
 * BEAT    worker to master  correlation id = 0         payload = long[] {heap used, heap max}, every 250 ms
 * </pre>
 */
final class Frames {

	static final int CALL = 1;

	static final int RESULT = 2;

	static final int ERROR = 3;

	static final int DATA = 4;

	static final int READY = 5;

	static final int CLOSE = 6;

	static final int HEARTBEAT = 7;

	private Frames() {
	}

}
