package io.vmworkers.dispatch;

/**
 * Where a worker is in its life.
 */
public enum WorkerState {

	/** Not started yet. */
	NEW,

	/** The process is starting; calls wait for it. */
	STARTING,

	/** Connected and serving calls. */
	READY,

	/** Exited unexpectedly; waiting out its back-off before starting again. Calls wait for it. */
	RESTARTING,

	/** Being stopped on request. */
	STOPPING,

	/** Stopped on request. */
	STOPPED,

	/** The process failed to start, or exited unexpectedly and is not restarted (any more). */
	FAILED

}
