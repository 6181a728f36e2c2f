package io.vmworkers.autoconfigure;

import io.vmworkers.protocol.LaunchParameters;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * In a worker JVM, skips auto-configurations that could not apply there before they are even
 * parsed, which took a noticeable part of a worker's start:
 * <ul>
 * <li>those conditional on a web application (any auto-configuration, from its
 * {@code @ConditionalOnWebApplication} in the auto-configuration metadata): a worker is not a web
 * application, unless the application sets {@code spring.main.web-application-type} to something
 * else than {@code none}, and then nothing of this kind is skipped;</li>
 * <li>Spring Boot's auto-configurations of actuator endpoints and of the management context: a
 * worker has no web server and, unless the application turns JMX on for it, no JMX, so nothing
 * could reach an endpoint.</li>
 * </ul>
 * Every other auto-configuration is left to its conditions; on a master nothing is skipped.
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
		boolean worker = isWorker();
		boolean skipWeb = worker && !isWebApplication();
		boolean skipEndpoints = worker && !this.environment.getProperty("spring.jmx.enabled", Boolean.class, false);
		for (int i = 0; i < matches.length; i++) {
			String name = autoConfigurationClasses[i];
			boolean skip = name != null && ((skipWeb && needsWebApplication(name, autoConfigurationMetadata))
					|| (skipEndpoints && isEndpointConfiguration(name)));
			matches[i] = !skip;
		}
		return matches;
	}

	private boolean isWorker() {
		return this.environment != null
				&& "worker".equalsIgnoreCase(this.environment.getProperty(LaunchParameters.ROLE_PROPERTY));
	}

	/** A worker runs as {@code WebApplicationType.NONE} unless the application's properties say otherwise. */
	private boolean isWebApplication() {
		String type = this.environment.getProperty("spring.main.web-application-type");
		return type != null && !"none".equalsIgnoreCase(type.trim());
	}

	/** {@code @ConditionalOnWebApplication} of any type, as recorded at build time for Boot's filters. */
	private static boolean needsWebApplication(String className, AutoConfigurationMetadata metadata) {
		return metadata != null && metadata.get(className, "ConditionalOnWebApplication") != null;
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
