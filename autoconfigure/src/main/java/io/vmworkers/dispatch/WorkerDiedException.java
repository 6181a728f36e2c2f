package io.vmworkers.dispatch;

/**
 * Thrown to a call whose worker process exited before answering. The call may have executed.
 */
public class WorkerDiedException extends IllegalStateException {

	private final String workerName;

	private final long pid;

	private final int exitCode;

	public WorkerDiedException(String workerName, long pid, int exitCode, String message) {
		super(message);
		this.workerName = workerName;
		this.pid = pid;
		this.exitCode = exitCode;
	}

	public String getWorkerName() {
		return this.workerName;
	}

	public long getPid() {
		return this.pid;
	}

	/**
	 * Returns the exit code as the JDK reports it: 128 + n for signal n.
	 * @return the exit code
	 */
	public int getExitCode() {
		return this.exitCode;
	}

}
