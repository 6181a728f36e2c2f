package io.vmworkers.dispatch;

/**
 * The payload of a CALL frame: which routable method (by its index in {@link TaskMethods}) and the
 * arguments. A plain class rather than a record: Kryo serializes records several times slower, and
 * this is on every call's path.
 */
final class Invocation {

	private int method;

	private Object[] arguments;

	/** For Kryo. */
	private Invocation() {
	}

	/**
	 * Creates an invocation.
	 * @param method the method's index
	 * @param arguments the arguments, never null
	 */
	Invocation(int method, Object[] arguments) {
		this.method = method;
		this.arguments = arguments;
	}

	int method() {
		return this.method;
	}

	Object[] arguments() {
		return this.arguments;
	}

}
