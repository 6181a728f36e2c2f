package io.vmworkers.autoconfigure;

import java.util.List;

import io.vmworkers.dispatch.WorkerMain;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * Spring Boot's Docker Compose support in workers. The master alone manages the services: it
 * starts (and stops) them, or skips them when it runs for a test. A worker follows its decision:
 * when the master's Compose support found the running services, the worker reads the same
 * services' connection details without starting, stopping or waiting for anything; otherwise it
 * leaves Docker Compose alone. The decision reaches the worker as command-line arguments, which
 * outrank the application's own configuration.
 * <p>
 * Boot announces the services with an event sent to the application's listeners before the
 * context refreshes, so before any worker launches; this listener marks the context then.
 */
final class DockerComposeInWorkers implements ApplicationListener<ApplicationEvent> {

	static final String READY_EVENT = "org.springframework.boot.docker.compose.lifecycle.DockerComposeServicesReadyEvent";

	/** A singleton in a master's context whose Docker Compose support found the services. */
	static final String SERVICES_READ_BEAN = "vmworkers.dockerComposeServicesRead";

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event.getClass().getName().equals(READY_EVENT)
				&& event.getSource() instanceof ConfigurableApplicationContext context
				&& !"worker".equals(context.getEnvironment().getProperty(WorkerMain.ROLE_PROPERTY))
				&& !context.getBeanFactory().containsSingleton(SERVICES_READ_BEAN)) {
			context.getBeanFactory().registerSingleton(SERVICES_READ_BEAN, Boolean.TRUE);
		}
	}

	/**
	 * Returns the arguments that tell a worker what to do with Docker Compose.
	 * @param beanFactory the master's bean factory
	 * @return the arguments, none when the application has no Docker Compose support
	 */
	static List<String> workerArguments(ConfigurableListableBeanFactory beanFactory) {
		if (!ClassUtils.isPresent(READY_EVENT, beanFactory.getBeanClassLoader())) {
			return List.of();
		}
		if (beanFactory.containsSingleton(SERVICES_READ_BEAN)) {
			// The master waited for the services already.
			return List.of("--spring.docker.compose.lifecycle-management=none",
					"--spring.docker.compose.skip.in-tests=false", "--spring.docker.compose.readiness.wait=never");
		}
		return List.of("--spring.docker.compose.enabled=false");
	}

}
