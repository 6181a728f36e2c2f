package io.vmworkers.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.vmworkers.annotation.WorkerTask;
import io.vmworkers.codec.ClassAllowList;
import io.vmworkers.codec.KryoCodec;
import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerContext;
import io.vmworkers.dispatch.WorkerSettings;
import io.vmworkers.dispatch.master.DefaultVmDispatcher;
import io.vmworkers.dispatch.master.LaunchPlan;
import io.vmworkers.protocol.Tracing;
import org.junit.jupiter.api.Test;

import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class VmWorkersAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(VmWorkersAutoConfiguration.class));

	/** The properties alone: entries for workers that do not exist would fail the launch plan. */
	private final ApplicationContextRunner properties = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class);

	@Test
	void masterRoleProvidesDispatcherWithoutWorkersWhenThereAreNoTasks() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(VmDispatcher.class).hasSingleBean(KryoCodec.class);
			assertThat(context.getBean(VmDispatcher.class).workers()).isEmpty();
			assertThat(context).doesNotHaveBean("vmWorkerRuntime");
		});
	}

	@Test
	void withoutATracerOnTheClassPathNothingIsTraced() {
		this.runner.run((context) -> assertThat(context.getBean(Tracing.class)).isSameAs(Tracing.OFF));
	}

	@Test
	void codecBacksOffWhenUserDefinesOne() {
		this.runner.withUserConfiguration(UserCodecConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(KryoCodec.class);
			assertThat(context.getBean(KryoCodec.class)).isSameAs(context.getBean("userCodec"));
		});
	}

	@Test
	void dispatcherAndLaunchPlanBackOffWhenUserDefinesThem() {
		this.runner.withUserConfiguration(UserDispatcherConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(DefaultVmDispatcher.class).hasSingleBean(LaunchPlan.class);
			assertThat(context.getBean(DefaultVmDispatcher.class)).isSameAs(context.getBean("userDispatcher"));
			assertThat(context.getBean(LaunchPlan.class)).isSameAs(context.getBean("userPlan"));
		});
	}

	@Test
	void workerRoleHasNoDispatcher() {
		// Lazy, as in a worker JVM: the runtime needs the channel a master creates.
		this.runner.withPropertyValues("vmworkers.role=worker")
			.withInitializer((context) -> context.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor()))
			.run((context) -> {
			assertThat(context).doesNotHaveBean(DefaultVmDispatcher.class);
			assertThat(context.getBeanFactory().containsBeanDefinition("vmWorkerRuntime")).isTrue();
		});
	}

	@Test
	void perWorkerPropertiesOverrideGlobalOnes() {
		this.properties
			.withPropertyValues("vmworkers.jvm-options=-Xmx64m", "vmworkers.call-timeout=5s",
					"vmworkers.channel.capacity=1MB", "vmworkers.workers.robot.jvm-options=-XX:+UseSerialGC",
					"vmworkers.workers.robot.channel.capacity=64KB", "vmworkers.workers.robot.startup-timeout=3s")
			.run((context) -> {
				VmWorkersProperties properties = context.getBean(VmWorkersProperties.class);
				WorkerSettings robot = properties.settingsFor("robot");
				assertThat(robot.jvmOptions()).containsExactly("-Xmx64m", "-XX:+UseSerialGC");
				assertThat(robot.capacity()).isEqualTo(64 * 1024);
				assertThat(robot.startupTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(robot.callTimeout()).isEqualTo(Duration.ofSeconds(5));
				WorkerSettings other = properties.settingsFor("other");
				assertThat(other.jvmOptions()).containsExactly("-Xmx64m");
				assertThat(other.capacity()).isEqualTo(1024 * 1024);
				assertThat(other.directory()).isEqualTo(Path.of("/dev/shm"));
			});
	}

	@Test
	void theContextIsTheApplicationUnlessSetGloballyOrForOneWorker() {
		this.properties.run((context) -> assertThat(context.getBean(VmWorkersProperties.class).settingsFor("robot").context())
			.isEqualTo(WorkerContext.APPLICATION));
		this.properties.withPropertyValues("vmworkers.workers.robot.context=task").run((context) -> {
			VmWorkersProperties properties = context.getBean(VmWorkersProperties.class);
			assertThat(properties.settingsFor("robot").context()).isEqualTo(WorkerContext.TASK);
			assertThat(properties.settingsFor("other").context()).isEqualTo(WorkerContext.APPLICATION);
		});
		this.properties.withPropertyValues("vmworkers.context=task", "vmworkers.workers.robot.context=application")
			.run((context) -> {
				VmWorkersProperties properties = context.getBean(VmWorkersProperties.class);
				assertThat(properties.settingsFor("robot").context()).isEqualTo(WorkerContext.APPLICATION);
				assertThat(properties.settingsFor("other").context()).isEqualTo(WorkerContext.TASK);
			});
	}

	@Test
	void aTaskContextWithTheApplicationsOwnCodecFailsNamingTheSetting() {
		this.runner.withUserConfiguration(UserCodecConfiguration.class, RobotTask.class)
			.withPropertyValues("vmworkers.context=task")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("worker 'vmWorkersAutoConfigurationTests.RobotTask' has a task context")
				.hasMessageContaining("set the context to 'application' for it"));
	}

	@Test
	void cpusComeFromTheWorkerOrTheGlobalSettingAndAreChecked() {
		this.properties.withPropertyValues("vmworkers.cpus=1", "vmworkers.workers.robot.cpus=0-1",
				"vmworkers.workers.broken.cpus=one")
			.run((context) -> {
				VmWorkersProperties properties = context.getBean(VmWorkersProperties.class);
				assertThat(properties.settingsFor("robot").cpus()).isEqualTo("0-1");
				assertThat(properties.settingsFor("other").cpus()).isEqualTo("1");
				assertThatIllegalArgumentException().isThrownBy(() -> properties.settingsFor("broken"))
					.withMessageContaining("'one' is not a CPU list; set vmworkers.workers.broken.cpus");
			});
	}

	@Test
	void jvmOptionsWrittenAsOneStringAreRefusedNamingTheProperty() {
		this.properties.withPropertyValues("vmworkers.workers.robot.jvm-options[0]=-Xmx128m -XX:+UseZGC",
				"vmworkers.workers.other.jvm-options=-Xmx128m,-XX:+UseZGC")
			.run((context) -> {
				VmWorkersProperties properties = context.getBean(VmWorkersProperties.class);
				assertThat(properties.settingsFor("other").jvmOptions()).containsExactly("-Xmx128m", "-XX:+UseZGC");
				assertThatIllegalArgumentException().isThrownBy(() -> properties.settingsFor("robot"))
					.withMessageContaining("'-Xmx128m -XX:+UseZGC' in vmworkers.workers.robot.jvm-options looks like "
							+ "several JVM options in one; separate them with commas (-Xmx128m,-XX:+UseZGC)");
			});
	}

	@Test
	void defaultsMatchTheDocumentation() {
		this.runner.run((context) -> {
			WorkerSettings settings = context.getBean(VmWorkersProperties.class).settingsFor("any");
			assertThat(settings.capacity()).isEqualTo(512 * 1024);
			assertThat(settings.directory()).isEqualTo(Path.of("/dev/shm"));
			assertThat(settings.callTimeout()).isZero();
			assertThat(settings.inheritJvmOptions()).isTrue();
			assertThat(settings.cpus()).isNull();
			assertThat(context.getBean(VmWorkersProperties.class).getCds().isEnabled()).isTrue();
		});
	}

	@Configuration(proxyBeanMethods = false)
	@WorkerTask
	static class RobotTask {

		public int inc(int value) {
			return value + 1;
		}

	}

	@EnableConfigurationProperties(VmWorkersProperties.class)
	static class PropertiesConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserDispatcherConfiguration {

		@Bean
		LaunchPlan userPlan() {
			return new LaunchPlan("", List.of(), List.of(), List.of(), null, Map.of());
		}

		@Bean
		DefaultVmDispatcher userDispatcher(LaunchPlan plan, KryoCodec codec) {
			return new DefaultVmDispatcher(plan, codec);
		}

	}

	static class UserCodecConfiguration {

		@Bean
		KryoCodec userCodec() {
			return new KryoCodec(new ClassAllowList(List.of("com.acme")), getClass().getClassLoader(), 1024);
		}

	}

}
