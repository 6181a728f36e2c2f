package io.vmworkers.codec;

/**
 * Stands in for an exception thrown in a worker JVM whose class could not be recreated in this JVM.
 *
 * <p>The message names the original class, its message and the worker, for example
 * {@code com.acme.FooException: boom (thrown in worker 'countingTask')}; the stack trace is the worker's.
 */
public final class RemoteWorkerException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String remoteClassName;

	private final String workerName;

	/**
	 * Creates the stand-in for a worker's exception.
	 *
	 * @param remoteClassName binary name of the exception class thrown in the worker
	 * @param remoteMessage the worker exception's message; may be {@code null}
	 * @param workerName name of the worker that threw
	 * @param cause the recreated cause; may be {@code null}
	 */
	public RemoteWorkerException(String remoteClassName, String remoteMessage, String workerName, Throwable cause) {
		super(remoteClassName + (remoteMessage == null ? "" : ": " + remoteMessage) + " (thrown in worker '"
				+ workerName + "')", cause);
		this.remoteClassName = remoteClassName;
		this.workerName = workerName;
	}

	/**
	 * Returns the class name of the exception thrown in the worker.
	 *
	 * @return the binary class name
	 */
	public String getRemoteClassName() {
		return remoteClassName;
	}

	/**
	 * Returns the worker that threw.
	 *
	 * @return the worker name
	 */
	public String getWorkerName() {
		return workerName;
	}
}
