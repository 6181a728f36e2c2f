package io.vmworkers.it.details;

import java.util.stream.Collectors;

import io.vmworkers.annotation.WorkerTask;

/**
 * A task that connects to the service its connection details name; here it only describes them.
 */
@WorkerTask
public class ShapesTask {

	private final ShapesConnectionDetails details;

	public ShapesTask(ShapesConnectionDetails details) {
		this.details = details;
	}

	public String describe() {
		return ShapesTask.describe(this.details);
	}

	public static String describe(ShapesConnectionDetails details) {
		return details.getScheme() + " " + details.getUrl() + " " + details.getPort() + " "
				+ details.getCredentials().getUser() + "/" + details.getCredentials().getPassword() + " "
				+ details.getNodes().stream().map(ShapesConnectionDetails.Node::getHost).collect(Collectors.joining(","));
	}

}
