package io.vmworkers.autoconfigure;

import io.vmworkers.channel.IdleStrategy;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code vmworkers.workers.<name>.idle}: adaptive unless a worker's own property says otherwise,
 * in any case as relaxed binding takes it, and a value that is no strategy fails naming them.
 */
class IdlePropertiesTests {

	private final ApplicationContextRunner properties = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class);

	@Test
	void aWorkerWaitsAdaptivelyUnlessItsPropertySaysOtherwise() {
		this.properties.withPropertyValues("vmworkers.workers.robot.idle=spin", "vmworkers.workers.arm.idle=YIELD")
			.run((context) -> {
				VmWorkersProperties properties = context.getBean(VmWorkersProperties.class);
				assertThat(properties.settingsFor("other").idle()).isEqualTo(IdleStrategy.ADAPTIVE);
				assertThat(properties.settingsFor("robot").idle()).isEqualTo(IdleStrategy.SPIN);
				assertThat(properties.settingsFor("arm").idle()).isEqualTo(IdleStrategy.YIELD);
			});
	}

	@Test
	void aValueThatIsNoStrategyFailsTheStart() {
		this.properties.withPropertyValues("vmworkers.workers.robot.idle=busy")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Failed to bind properties under 'vmworkers.workers.robot.idle'")
				.rootCause()
				.hasMessageContaining("No enum constant io.vmworkers.channel.IdleStrategy.busy"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(VmWorkersProperties.class)
	static class PropertiesConfiguration {

	}

}
