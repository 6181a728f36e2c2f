package io.vmworkers.dispatch.master;

import java.io.IOException;

import io.vmworkers.dispatch.WorkerSettings;
import io.vmworkers.process.WorkerProcess;

/**
 * Starts workers somewhere other than as child processes of the master's JVM, for the workers
 * whose {@code vmworkers.workers.<name>.placement} names it: a module adds one as a bean (the
 * {@code vmworkers-kubernetes} module, {@code kubernetes}). Such a worker runs the application's
 * worker command there and connects back over the TCP transport; the master supervises it through
 * the {@link WorkerProcess} returned, as it does a child process.
 */
public interface WorkerPlacement {

	/**
	 * Returns the name {@code vmworkers.workers.<name>.placement} selects this placement by.
	 * @return the name
	 */
	String name();

	/**
	 * Starts a worker.
	 * @param name the worker's name
	 * @param settings its settings
	 * @param launch the command to run and what the worker needs to connect to the master
	 * @return the running worker
	 * @throws IOException when it cannot be started
	 */
	WorkerProcess start(String name, WorkerSettings settings, RemoteLaunch launch) throws IOException;

}
