package io.vmworkers.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.vmworkers.annotation.WorkerTask;
import io.vmworkers.codec.ClassAllowList;
import io.vmworkers.codec.KryoCodec;
import io.vmworkers.dispatch.Transport;
import io.vmworkers.dispatch.WorkerObserver;
import io.vmworkers.dispatch.master.DefaultVmDispatcher;
import io.vmworkers.dispatch.master.LaunchPlan;
import io.vmworkers.dispatch.master.WorkerPlacement;
import io.vmworkers.dispatch.master.WorkerTaskRegistrar;
import io.vmworkers.protocol.Tracing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.AnnotatedGenericBeanDefinition;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The launch plan: made once, by the early launch when there is one, else by the plan bean the
 * same way; the dispatcher is made from it; settings for a worker that does not exist fail the
 * start-up.
 */
class LaunchPlanTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(VmWorkersAutoConfiguration.class));

	private final KryoCodec codec = new KryoCodec(new ClassAllowList(List.of()), getClass().getClassLoader(), 1024);

	private final VmWorkersAutoConfiguration.MasterConfiguration configuration = new VmWorkersAutoConfiguration.MasterConfiguration();

	@TempDir
	Path temp;

	@Test
	void theEarlyLaunchMakesThePlanOnceAndTheDispatcherIsMadeFromIt() {
		Master master = new Master();
		// No such directory: the plan is made, the early launch of processes gives up (no JVM starts).
		master.environment.setProperty("vmworkers.channel.directory", this.temp.resolve("missing").toString());
		master.environment.setProperty("vmworkers.jvm-options", "-Xmx64m");
		master.environment.setProperty("vmworkers.workers.plain.heartbeat-timeout", "3s");
		master.environment.setProperty("vmworkers.workers.plain.replicas", "2");
		EarlyWorkerLaunch early = new EarlyWorkerLaunch(master.registrar);
		early.setEnvironment(master.environment);
		early.postProcessBeanFactory(master.beanFactory);
		LaunchPlan plan = early.plan();
		assertThat(plan.applicationClass()).isEqualTo(Application.class.getName());
		assertThat(plan.workers()).containsOnlyKeys("plain");
		LaunchPlan.Worker plain = plan.worker("plain");
		assertThat(plain.taskClass()).isEqualTo(Plain.class);
		assertThat(plain.settings().jvmOptions()).containsExactly("-Xmx64m");
		assertThat(plain.settings().heartbeatTimeout()).isEqualTo(Duration.ofSeconds(3));
		assertThat(plain.pool().replicas()).isEqualTo(2);
		// The properties bean, bound later, is not asked again: here it would say otherwise.
		VmWorkersProperties bound = new VmWorkersProperties();
		bound.setJvmOptions(List.of("-Xmx1g"));
		master.beanFactory.registerSingleton("vmWorkersEarlyLaunch", early);
		LaunchPlan bean = this.configuration.vmWorkersLaunchPlan(master.beanFactory.getBeanProvider(EarlyWorkerLaunch.class),
				master.registrar, bound, master.beanFactory, master.environment);
		assertThat(bean).isSameAs(plan);
		DefaultVmDispatcher dispatcher = this.configuration.vmDispatcher(bean, this.codec, noObservers(master),
				master.beanFactory.getBeanProvider(Tracing.class), master.beanFactory.getBeanProvider(WorkerPlacement.class),
				bound, null, master.beanFactory);
		try {
			assertThat(dispatcher.plan()).isSameAs(plan);
			assertThat(dispatcher.worker("plain").replicas()).hasSize(2);
		}
		finally {
			dispatcher.destroy();
		}
	}

	@Test
	void withoutAnEarlyLaunchThePlanIsMadeTheSameWayFromTheBoundProperties() {
		Master master = new Master();
		VmWorkersProperties bound = new VmWorkersProperties();
		bound.setJvmOptions(List.of("-Xmx1g"));
		LaunchPlan plan = this.configuration.vmWorkersLaunchPlan(master.beanFactory.getBeanProvider(EarlyWorkerLaunch.class),
				master.registrar, bound, master.beanFactory, master.environment);
		assertThat(plan.applicationClass()).isEqualTo(Application.class.getName());
		assertThat(plan.worker("plain").settings().jvmOptions()).containsExactly("-Xmx1g");
		assertThat(plan.worker("plain").pool().replicas()).isEqualTo(1);
	}

	@Test
	void workersOnSharedMemoryFallBackToTcpWhenTheDefaultDirectoryCannotHoldTheirRings() {
		Master master = new Master();
		VmWorkersProperties bound = new VmWorkersProperties();
		// As a container without /dev/shm would have it: the default directory does not exist.
		bound.getChannel().setDirectory(this.temp.resolve("missing"));
		LaunchPlan plan = this.configuration.vmWorkersLaunchPlan(master.beanFactory.getBeanProvider(EarlyWorkerLaunch.class),
				master.registrar, bound, master.beanFactory, master.environment);
		assertThat(plan.worker("plain").settings().transport()).isEqualTo(Transport.TCP);
	}

	@Test
	void aChannelDirectoryTheApplicationNamesIsNeverReplacedByTcp() {
		Master master = new Master();
		master.environment.setProperty("vmworkers.channel.directory", this.temp.resolve("missing").toString());
		VmWorkersProperties bound = new VmWorkersProperties();
		bound.getChannel().setDirectory(this.temp.resolve("missing"));
		LaunchPlan plan = this.configuration.vmWorkersLaunchPlan(master.beanFactory.getBeanProvider(EarlyWorkerLaunch.class),
				master.registrar, bound, master.beanFactory, master.environment);
		assertThat(plan.worker("plain").settings().transport()).isEqualTo(Transport.SHM);
	}

	@Test
	void aUsableDefaultDirectoryKeepsSharedMemory() {
		Master master = new Master();
		VmWorkersProperties bound = new VmWorkersProperties();
		bound.getChannel().setDirectory(this.temp);
		LaunchPlan plan = this.configuration.vmWorkersLaunchPlan(master.beanFactory.getBeanProvider(EarlyWorkerLaunch.class),
				master.registrar, bound, master.beanFactory, master.environment);
		assertThat(plan.worker("plain").settings().transport()).isEqualTo(Transport.SHM);
	}

	@Test
	void theDispatcherIsMadeFromThePlanBean() {
		this.runner.run((context) -> assertThat(context.getBean(DefaultVmDispatcher.class).plan())
			.isSameAs(context.getBean(LaunchPlan.class)));
	}

	@Test
	void settingsForAWorkerThatDoesNotExistFailTheStartUpNamingItTheWorkersAndTheFix() {
		this.runner.withUserConfiguration(Application.class, Plain.class)
			.withPropertyValues("vmworkers.workers.plian.spares=1")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(UnknownWorkerException.class)
					.hasMessage("vmworkers.workers.plian names no @WorkerTask bean; the workers are [plain]; rename the"
							+ " entry to a worker's bean name (countingTask for a class CountingTask, or the name given"
							+ " in @WorkerTask(\"...\")), or remove it");
				FailureAnalysis analysis = new UnknownWorkerFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("vmworkers.workers.plian", "[plain]");
				assertThat(analysis.getAction()).startsWith("Rename the entry");
			});
	}

	@Test
	void twoWorkersGivenTheSameDebuggerPortFailTheStartUpNamingBoth() {
		this.runner.withUserConfiguration(Application.class, Plain.class, Other.class)
			.withPropertyValues("vmworkers.workers.plain.debug.port=5005", "vmworkers.workers.other.debug.port=5005")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("vmworkers.workers.plain.debug.port and vmworkers.workers.other.debug.port are both 5005"));
	}

	@Test
	void anEntryNamedButForCaseDashesAndUnderscoresConfiguresItsWorker() {
		// As an environment variable binds: VMWORKERS_WORKERS_PLAIN_SPARES is vmworkers.workers.plain.spares,
		// and a worker named fooBar is reached by VMWORKERS_WORKERS_FOOBAR_* as foobar.
		Master master = new Master();
		VmWorkersProperties bound = new VmWorkersProperties();
		VmWorkersProperties.Worker overrides = new VmWorkersProperties.Worker();
		overrides.setReplicas(2);
		overrides.setSpares(1);
		bound.setWorkers(Map.of("PLA_IN", overrides));
		LaunchPlan plan = this.configuration.vmWorkersLaunchPlan(master.beanFactory.getBeanProvider(EarlyWorkerLaunch.class),
				master.registrar, bound, master.beanFactory, master.environment);
		assertThat(plan.worker("plain").pool().replicas()).isEqualTo(2);
		assertThat(plan.worker("plain").pool().spares()).isOne();
	}

	@Test
	void twoEntriesForOneWorkerFailTheStartUp() {
		Master master = new Master();
		VmWorkersProperties bound = new VmWorkersProperties();
		bound.setWorkers(Map.of("plain", new VmWorkersProperties.Worker(), "PLAIN", new VmWorkersProperties.Worker()));
		assertThatIllegalStateException()
			.isThrownBy(() -> this.configuration.vmWorkersLaunchPlan(
					master.beanFactory.getBeanProvider(EarlyWorkerLaunch.class), master.registrar, bound,
					master.beanFactory, master.environment))
			.withMessageContaining("both configure worker 'plain'");
	}

	private static ObjectProvider<WorkerObserver> noObservers(Master master) {
		return master.beanFactory.getBeanProvider(WorkerObserver.class);
	}

	/** A master's bean definitions and environment, as the early launch sees them. */
	private static final class Master {

		final DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();

		final MockEnvironment environment = new MockEnvironment();

		final WorkerTaskRegistrar registrar = new WorkerTaskRegistrar(true);

		Master() {
			this.beanFactory.registerBeanDefinition("application", new AnnotatedGenericBeanDefinition(Application.class));
			this.beanFactory.registerBeanDefinition("plain", new AnnotatedGenericBeanDefinition(Plain.class));
			this.registrar.postProcessBeanDefinitionRegistry(this.beanFactory);
		}

	}

	@SpringBootConfiguration
	static class Application {

	}

	@WorkerTask("other")
	static class Other {

	}

	@WorkerTask("plain")
	static class Plain {

		public int inc(int value) {
			return value + 1;
		}

	}

}
