package io.vmworkers.autoconfigure;

import java.util.List;

import org.springframework.util.ClassUtils;

/**
 * Spring Boot's Docker Compose support in workers: off. The master alone manages the services:
 * it starts (and stops) them, or skips them when it runs for a test, and a worker gets the
 * connection details of what the master found (see {@link MasterConnectionDetails}). A worker's
 * main is not a test's, so Compose support would otherwise run there under an application's test
 * suite, and in development start, and on exit stop, the services the master manages. The
 * setting reaches the worker as a command-line argument, which outranks the application's own
 * configuration.
 */
final class DockerComposeInWorkers {

	private static final String LIFECYCLE_MANAGER = "org.springframework.boot.docker.compose.lifecycle.DockerComposeLifecycleManager";

	private DockerComposeInWorkers() {
	}

	/**
	 * Returns the arguments that keep a worker away from Docker Compose.
	 * @param classLoader the application's class loader
	 * @return the arguments, none when the application has no Docker Compose support
	 */
	static List<String> workerArguments(ClassLoader classLoader) {
		return ClassUtils.isPresent(LIFECYCLE_MANAGER, classLoader) ? List.of("--spring.docker.compose.enabled=false")
				: List.of();
	}

}
