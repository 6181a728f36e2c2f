package io.vmworkers.autoconfigure;

import java.time.Duration;

import io.vmworkers.dispatch.DebugSettings;
import io.vmworkers.dispatch.WorkerSettings;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DebugPropertiesTests {

	private final ApplicationContextRunner properties = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class);

	@Test
	void aWorkerHasNoDebuggerPortUnlessItsPropertySaysSo() {
		this.properties.withPropertyValues("vmworkers.workers.robot.debug.port=0").run((context) -> {
			VmWorkersProperties properties = context.getBean(VmWorkersProperties.class);
			assertThat(properties.settingsFor("other").debug()).isEqualTo(DebugSettings.OFF);
			assertThat(properties.settingsFor("robot").debug()).isEqualTo(new DebugSettings(0, false));
		});
	}

	@Test
	void theDebuggerListensOnTheLoopbackInterfaceOnly() {
		assertThat(new DebugSettings(5005, false).jvmOption())
			.isEqualTo("-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:5005");
		assertThat(new DebugSettings(0, true).jvmOption())
			.isEqualTo("-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=127.0.0.1:0");
	}

	@Test
	void aDebuggedWorkerIsNotKilledForMissingHeartbeatsNorASuspendedOneForItsSlowStart() {
		this.properties
			.withPropertyValues("vmworkers.workers.robot.debug.port=0", "vmworkers.workers.arm.debug.port=0",
					"vmworkers.workers.arm.debug.suspend=true")
			.run((context) -> {
				VmWorkersProperties properties = context.getBean(VmWorkersProperties.class);
				WorkerSettings plain = properties.settingsFor("other");
				WorkerSettings robot = properties.settingsFor("robot");
				WorkerSettings arm = properties.settingsFor("arm");
				assertThat(robot.heartbeatTimeout()).isGreaterThan(Duration.ofDays(300));
				assertThat(robot.startupTimeout()).isEqualTo(plain.startupTimeout());
				assertThat(arm.heartbeatTimeout()).isGreaterThan(Duration.ofDays(300));
				assertThat(arm.startupTimeout()).isGreaterThan(Duration.ofDays(300));
				assertThat(plain.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(1));
			});
	}

	@Test
	void badDebugSettingsAreRefusedNamingTheProperty() {
		this.properties
			.withPropertyValues("vmworkers.workers.robot.debug.port=70000", "vmworkers.workers.arm.debug.suspend=true",
					"vmworkers.workers.leg.debug.port=5005", "vmworkers.workers.leg.replicas=2",
					"vmworkers.workers.hand.debug.port=0", "vmworkers.workers.hand.replicas=2")
			.run((context) -> {
				VmWorkersProperties properties = context.getBean(VmWorkersProperties.class);
				assertThatIllegalArgumentException().isThrownBy(() -> properties.settingsFor("robot"))
					.withMessageContaining("vmworkers.workers.robot.debug.port=70000 is not a port");
				assertThatIllegalArgumentException().isThrownBy(() -> properties.settingsFor("arm"))
					.withMessageContaining("vmworkers.workers.arm.debug.suspend=true needs vmworkers.workers.arm.debug.port");
				assertThatIllegalArgumentException().isThrownBy(() -> properties.poolFor("leg", 1))
					.withMessageContaining("vmworkers.workers.leg.debug.port=5005 cannot serve 2 processes")
					.withMessageContaining("set it to 0");
				assertThat(properties.poolFor("hand", 1).replicas()).isEqualTo(2);
			});
	}

	@Test
	void aFixedDebuggerPortCannotServeARecycledWorker() {
		this.properties
			.withPropertyValues("vmworkers.workers.leg.debug.port=5005", "vmworkers.workers.leg.recycle.max-calls=100")
			.run((context) -> {
				VmWorkersProperties properties = context.getBean(VmWorkersProperties.class);
				assertThatIllegalArgumentException().isThrownBy(() -> properties.poolFor("leg", 1))
					.withMessageContaining("vmworkers.workers.leg.debug.port=5005 cannot serve a recycled worker");
			});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(VmWorkersProperties.class)
	static class PropertiesConfiguration {

	}

}
