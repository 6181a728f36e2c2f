package io.vmworkers.dispatch;

/**
 * Thrown when a worker does not answer a call within {@code vmworkers.call-timeout}. A late
 * answer is dropped; the call may still have executed.
 */
public class WorkerCallTimeoutException extends IllegalStateException {

	public WorkerCallTimeoutException(String message) {
		super(message);
	}

}
