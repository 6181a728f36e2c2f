package io.vmworkers.dispatch.master;

import java.io.IOException;

import io.vmworkers.dispatch.WorkerSettings;

/**
 * Starts the worker of a place and gives the channel to reach it: by default a child JVM with
 * rings under the channel directory; in in-process mode the worker on threads of this JVM with
 * rings in memory. The master connects to and supervises either alike.
 */
@FunctionalInterface
public interface WorkerStarter {

	/**
	 * Starts a worker; it announces itself on the channel once ready.
	 * @param name the worker's name
	 * @param settings its settings
	 * @return the started worker and its channel
	 * @throws IOException when the channel or the worker cannot be created
	 */
	Launch start(String name, WorkerSettings settings) throws IOException;

	/**
	 * Starts the worker of one place of a pool; a starter that names what it makes after the
	 * place (a pod's labels) overrides this.
	 * @param name the worker's name
	 * @param place the place's index in the pool: replicas first, then spares
	 * @param settings its settings
	 * @return the started worker and its channel
	 * @throws IOException when the channel or the worker cannot be created
	 */
	default Launch start(String name, int place, WorkerSettings settings) throws IOException {
		return start(name, settings);
	}

}
