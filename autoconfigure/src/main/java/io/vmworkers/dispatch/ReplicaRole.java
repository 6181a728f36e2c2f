package io.vmworkers.dispatch;

/**
 * What a process of a worker's pool is for.
 */
public enum ReplicaRole {

	/** Serves calls and data. */
	REPLICA,

	/** Started and kept ready, serving nothing, to take a replica's place when it dies or is recycled. */
	SPARE

}
