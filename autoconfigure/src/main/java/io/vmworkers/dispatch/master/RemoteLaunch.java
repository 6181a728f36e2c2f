package io.vmworkers.dispatch.master;

import java.util.List;
import java.util.Map;

import io.vmworkers.protocol.LaunchParameters;

/**
 * What a {@link WorkerPlacement} starts: the worker's command line (this JVM's java, options, class
 * path and main class, as on this machine), its environment, and how it reaches the master. The
 * placement sets {@link #MASTER_ADDRESS_VARIABLE} to the address the worker dials the master's
 * {@link #masterPort()} at, and {@link #SECRET_VARIABLE} to the secret, kept apart from the rest.
 * @param launchId the launch this worker proves it is
 * @param place the index of the worker's place in its pool (replicas first, then spares)
 * @param command the command line
 * @param environment variables the worker needs besides the address and the secret
 * @param secret the launch's secret
 * @param masterPort the port the master listens on for workers
 */
public record RemoteLaunch(String launchId, int place, List<String> command, Map<String, String> environment, String secret,
		int masterPort) {

	/** The variable that holds the master's address, {@code host:port}. */
	public static final String MASTER_ADDRESS_VARIABLE = "VMWORKERS_WORKER_MASTER_ADDRESS";

	/** The variable that holds the launch's id. */
	public static final String LAUNCH_ID_VARIABLE = "VMWORKERS_WORKER_LAUNCH_ID";

	/** The variable that holds the launch's secret. */
	public static final String SECRET_VARIABLE = LaunchParameters.TOKEN_VARIABLE;

	public RemoteLaunch {
		command = List.copyOf(command);
		environment = Map.copyOf(environment);
	}

}
