package io.vmworkers.autoconfigure;

import io.vmworkers.dispatch.WorkerMain;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * In a worker JVM, skips Spring Boot's auto-configurations of actuator endpoints and of the
 * management context before they are even parsed: a worker has no web server and, unless the
 * application turns JMX on for it, no JMX, so nothing could reach an endpoint. Parsing them took a
 * noticeable part of a worker's start. Every other auto-configuration is left to its conditions;
 * on a master, and in a worker with {@code spring.jmx.enabled=true}, nothing is skipped.
 */
public class WorkerRoleAutoConfigurationFilter implements AutoConfigurationImportFilter, EnvironmentAware {

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata autoConfigurationMetadata) {
		boolean[] matches = new boolean[autoConfigurationClasses.length];
		boolean skipEndpoints = endpointsUnreachable();
		for (int i = 0; i < matches.length; i++) {
			String name = autoConfigurationClasses[i];
			matches[i] = !(skipEndpoints && name != null && isEndpointConfiguration(name));
		}
		return matches;
	}

	private boolean endpointsUnreachable() {
		return this.environment != null
				&& "worker".equalsIgnoreCase(this.environment.getProperty(WorkerMain.ROLE_PROPERTY))
				&& !this.environment.getProperty("spring.jmx.enabled", Boolean.class, false);
	}

	/** Spring Boot's own endpoint and management-context auto-configurations. */
	static boolean isEndpointConfiguration(String className) {
		if (!className.startsWith("org.springframework.boot.")) {
			return false;
		}
		String simpleName = ClassUtils.getShortName(className);
		return simpleName.endsWith("AutoConfiguration")
				&& (simpleName.contains("Endpoint") || simpleName.contains("ManagementContext"));
	}

}
