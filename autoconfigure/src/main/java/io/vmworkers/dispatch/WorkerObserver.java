package io.vmworkers.dispatch;

/**
 * Notified of what happens to workers, for metrics and monitoring. Methods are called on the
 * threads where things happen (a caller's, a channel's receiving thread): keep them short and
 * non-blocking.
 */
public interface WorkerObserver {

	/**
	 * A call to a worker method ended.
	 * @param worker the worker's name
	 * @param method the method's name
	 * @param nanos the time from sending the call to its answer (or failure)
	 * @param failed whether it threw, timed out or lost its worker
	 */
	default void callCompleted(String worker, String method, long nanos, boolean failed) {
	}

	/**
	 * A worker process became ready.
	 * @param worker the worker's handle
	 */
	default void workerReady(WorkerHandle worker) {
	}

	/**
	 * A worker process exited.
	 * @param worker the worker's handle
	 * @param exit how it ended
	 */
	default void workerExited(WorkerHandle worker, ExitInfo exit) {
	}

}
