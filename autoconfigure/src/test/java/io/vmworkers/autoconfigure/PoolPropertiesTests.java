package io.vmworkers.autoconfigure;

import java.time.Duration;

import io.vmworkers.annotation.WorkerTask;
import io.vmworkers.dispatch.PoolSettings;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The pool's properties: replicas (with the annotation as default), spares and recycling limits.
 */
class PoolPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(VmWorkersAutoConfiguration.class));

	/** The properties alone: entries for workers that do not exist would fail the launch plan. */
	private final ApplicationContextRunner properties = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class);

	@Test
	void aWorkerIsOneProcessUnlessItsAnnotationOrPropertySaysOtherwise() {
		this.properties.withPropertyValues("vmworkers.workers.robot.replicas=4").run((context) -> {
			VmWorkersProperties properties = context.getBean(VmWorkersProperties.class);
			assertThat(properties.poolFor("other", PoolSettings.annotatedReplicas(Plain.class)))
				.isEqualTo(PoolSettings.SINGLE);
			assertThat(properties.poolFor("other", PoolSettings.annotatedReplicas(Triple.class)).replicas()).isEqualTo(3);
			assertThat(properties.poolFor("robot", PoolSettings.annotatedReplicas(Triple.class)).replicas()).isEqualTo(4);
		});
	}

	@Test
	void sparesAndRecyclingLimitsBind() {
		this.properties
			.withPropertyValues("vmworkers.workers.robot.spares=2", "vmworkers.workers.robot.recycle.max-calls=2000",
					"vmworkers.workers.robot.recycle.max-heap-used=200MB", "vmworkers.workers.robot.recycle.max-age=1h")
			.run((context) -> {
				PoolSettings pool = context.getBean(VmWorkersProperties.class).poolFor("robot", 1);
				assertThat(pool.spares()).isEqualTo(2);
				assertThat(pool.processes()).isEqualTo(3);
				assertThat(pool.recycle().maxCalls()).isEqualTo(2000);
				assertThat(pool.recycle().maxHeapUsed()).isEqualTo(200L * 1024 * 1024);
				assertThat(pool.recycle().maxAge()).isEqualTo(Duration.ofHours(1));
				assertThat(pool.recycle().enabled()).isTrue();
				assertThat(PoolSettings.SINGLE.recycle().enabled()).isFalse();
			});
	}

	@Test
	void outOfRangeCountsAreRefusedNamingTheProperty() {
		this.properties.withPropertyValues("vmworkers.workers.robot.replicas=0", "vmworkers.workers.arm.spares=-1",
				"vmworkers.workers.leg.recycle.max-calls=-5")
			.run((context) -> {
				VmWorkersProperties properties = context.getBean(VmWorkersProperties.class);
				assertThatIllegalArgumentException().isThrownBy(() -> properties.poolFor("robot", 1))
					.withMessageContaining("vmworkers.workers.robot.replicas must be at least 1");
				assertThatIllegalArgumentException().isThrownBy(() -> properties.poolFor("arm", 1))
					.withMessageContaining("vmworkers.workers.arm.spares cannot be negative");
				assertThatIllegalArgumentException().isThrownBy(() -> properties.poolFor("leg", 1))
					.withMessageContaining("vmworkers.workers.leg.recycle.*");
			});
	}

	@Test
	void aDispatcherWithAnOutOfRangePoolFailsTheStartUp() {
		this.runner.withUserConfiguration(Application.class, Plain.class)
			.withPropertyValues("vmworkers.workers.plain.replicas=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("vmworkers.workers.plain.replicas must be at least 1"));
	}

	@EnableConfigurationProperties(VmWorkersProperties.class)
	static class PropertiesConfiguration {

	}

	@SpringBootConfiguration
	static class Application {

	}

	@WorkerTask("plain")
	static class Plain {

	}

	@WorkerTask(replicas = 3)
	static class Triple {

	}

}
