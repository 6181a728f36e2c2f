package io.vmworkers.dispatch;

/**
 * Thrown when a worker does not become ready: its process exited, or the start-up timeout passed.
 * The message carries the worker's name, pid, exit code, command and the tail of its output.
 */
public class WorkerStartupException extends IllegalStateException {

	private final String workerName;

	public WorkerStartupException(String workerName, String message, Throwable cause) {
		super(message, cause);
		this.workerName = workerName;
	}

	public String getWorkerName() {
		return this.workerName;
	}

}
