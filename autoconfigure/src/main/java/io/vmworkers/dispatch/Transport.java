package io.vmworkers.dispatch;

/**
 * What carries a worker's channel ({@code vmworkers.workers.<name>.transport}).
 */
public enum Transport {

	/** Two rings in files under the shared-memory directory: the fastest, on one machine. */
	SHM,

	/**
	 * One TCP connection that the worker dials to its master, authenticated with a per-launch
	 * secret: where {@code /dev/shm} is not usable, or for a worker on another machine.
	 */
	TCP

}
