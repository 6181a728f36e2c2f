package io.vmworkers.autoconfigure;

import io.vmworkers.protocol.LaunchParameters;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * In a worker, registers its master's connection details (see {@link MasterConnectionDetails})
 * before the context refreshes, so that auto-configurations find them and back off.
 */
final class MasterConnectionDetailsInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		String encoded = System.getenv(MasterConnectionDetails.VARIABLE);
		if (encoded == null || !"worker".equals(System.getProperty(LaunchParameters.ROLE_PROPERTY))) {
			return;
		}
		if (!(context instanceof BeanDefinitionRegistry registry)) {
			throw new IllegalStateException("the master's connection details cannot be registered in a "
					+ context.getClass().getName() + ", which is not a BeanDefinitionRegistry");
		}
		MasterConnectionDetails.register(registry, encoded, context.getClassLoader());
	}

}
