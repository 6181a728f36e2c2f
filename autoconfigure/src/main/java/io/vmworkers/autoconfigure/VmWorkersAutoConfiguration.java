package io.vmworkers.autoconfigure;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.vmworkers.channel.IdleStrategy;
import io.vmworkers.channel.WorkerChannel;
import io.vmworkers.channel.tcp.TcpChannel;
import io.vmworkers.codec.ClassAllowList;
import io.vmworkers.codec.KryoCodec;
import io.vmworkers.dispatch.WorkerObserver;
import io.vmworkers.dispatch.inprocess.InProcessStarter;
import io.vmworkers.dispatch.master.DefaultVmDispatcher;
import io.vmworkers.dispatch.master.LaunchPlan;
import io.vmworkers.dispatch.master.WorkerStarter;
import io.vmworkers.dispatch.master.WorkerTaskPostProcessor;
import io.vmworkers.dispatch.master.WorkerPlacement;
import io.vmworkers.dispatch.master.WorkerTaskRegistrar;
import io.vmworkers.dispatch.worker.WorkerRuntime;
import io.vmworkers.protocol.Frames;
import io.vmworkers.protocol.LaunchParameters;
import io.vmworkers.protocol.Tracing;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.InjectionPoint;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Auto-configuration of vmworkers: on the master, a worker JVM per {@code @WorkerTask} bean; in a
 * worker JVM, the runtime that serves its one task.
 */
@AutoConfiguration
@EnableConfigurationProperties(VmWorkersProperties.class)
public final class VmWorkersAutoConfiguration {

	/** Name of the codec bean defined here, unless the application defines its own. */
	static final String CODEC_BEAN = "vmWorkersCodec";

	/** Traces crossing the channel, when the application traces; off otherwise. */
	@Bean
	@ConditionalOnMissingBean
	Tracing vmWorkersTracing(VmWorkersProperties properties, ListableBeanFactory beanFactory) {
		return properties.getTracing().isEnabled() ? TracingDetection.tracing(beanFactory) : Tracing.OFF;
	}

	@Bean(CODEC_BEAN)
	@ConditionalOnMissingBean
	KryoCodec vmWorkersCodec(VmWorkersProperties properties, BeanFactory beanFactory) {
		List<String> packages = new ArrayList<>(properties.getSerialization().getAllowedPackages());
		packages.addAll(applicationPackages(beanFactory));
		ClassLoader classLoader = (beanFactory instanceof ConfigurableBeanFactory configurable)
				? configurable.getBeanClassLoader() : ClassUtils.getDefaultClassLoader();
		long maxMessageSize = properties.getChannel().getMaxMessageSize().toBytes();
		// Master and worker build the codec here alike, so both register the protocol's payloads by the same ids.
		return new KryoCodec(new ClassAllowList(packages), classLoader,
				(int) Math.min(Integer.MAX_VALUE - 8, maxMessageSize), Frames.payloadTypes());
	}

	/**
	 * The application's auto-configuration packages: the codec allows their classes, and a worker
	 * with a task context registers them as its own so that its codec allows the same.
	 */
	static List<String> applicationPackages(BeanFactory beanFactory) {
		return AutoConfigurationPackages.has(beanFactory) ? AutoConfigurationPackages.get(beanFactory) : List.of();
	}

	/** The environment a worker gets besides the master's own: its connection details. */
	private static Map<String, String> masterConnectionDetails(ConfigurableListableBeanFactory beanFactory) {
		String encoded = MasterConnectionDetails.capture(beanFactory);
		return (encoded != null) ? Map.of(MasterConnectionDetails.VARIABLE, encoded) : Map.of();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "vmworkers.role", havingValue = "master", matchIfMissing = true)
	static class MasterConfiguration {

		@Bean
		static WorkerTaskRegistrar vmWorkersTaskRegistrar() {
			return new WorkerTaskRegistrar(true);
		}

		@Bean
		static EarlyWorkerLaunch vmWorkersEarlyLaunch(WorkerTaskRegistrar registrar) {
			return new EarlyWorkerLaunch(registrar);
		}

		@Bean
		static WorkerTaskPostProcessor vmWorkersTaskPostProcessor(ObjectProvider<DefaultVmDispatcher> dispatcher) {
			return new WorkerTaskPostProcessor(dispatcher);
		}

		/**
		 * The plan the workers were launched from early, or else one made the same way now, from
		 * the bound properties.
		 */
		@Bean
		@ConditionalOnMissingBean
		LaunchPlan vmWorkersLaunchPlan(ObjectProvider<EarlyWorkerLaunch> earlyLaunch, WorkerTaskRegistrar registrar,
				VmWorkersProperties properties, ConfigurableListableBeanFactory beanFactory, Environment environment) {
			EarlyWorkerLaunch early = earlyLaunch.getIfAvailable();
			LaunchPlan plan = (early != null) ? early.plan() : null;
			return (plan != null) ? plan
					: new LaunchPlanFactory(registrar.tasks(), beanFactory, environment).create(properties);
		}

		@Bean
		@ConditionalOnMissingBean
		DefaultVmDispatcher vmDispatcher(LaunchPlan plan, KryoCodec codec, ObjectProvider<WorkerObserver> observers,
				ObjectProvider<Tracing> tracing, ObjectProvider<WorkerPlacement> placements,
				VmWorkersProperties properties, ConfigurableApplicationContext context,
				ConfigurableListableBeanFactory beanFactory) {
			Tracing traces = tracing.getIfAvailable(() -> Tracing.OFF);
			WorkerStarter starter = (properties.getMode() == VmWorkersProperties.Mode.IN_PROCESS)
					? new InProcessStarter(context, plan, codec, traces) : null;
			DefaultVmDispatcher dispatcher = new DefaultVmDispatcher(plan, codec, starter);
			dispatcher.tracing(traces);
			observers.orderedStream().forEach(dispatcher::addObserver);
			dispatcher.workerEnvironment(() -> masterConnectionDetails(beanFactory));
			dispatcher.placements(placements.orderedStream().toList());
			return dispatcher;
		}

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		WorkerChannel workerChannel(InjectionPoint injectionPoint, DefaultVmDispatcher dispatcher) {
			return dispatcher.channelFor(injectionPoint.getMember().getDeclaringClass());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "vmworkers.role", havingValue = "worker")
	static class WorkerConfiguration {

		@Bean
		static WorkerTaskRegistrar vmWorkersTaskRegistrar() {
			return new WorkerTaskRegistrar(false);
		}

		@Bean
		static WorkerRoleBeanFactoryPostProcessor vmWorkersRoleBeanFactoryPostProcessor(Environment environment) {
			return new WorkerRoleBeanFactoryPostProcessor(environment.getProperty(LaunchParameters.NAME_PROPERTY, ""));
		}

		@Bean
		@ConditionalOnClass(name = "javax.sql.DataSource")
		static InMemoryDatabaseWarning vmWorkersInMemoryDatabaseWarning(Environment environment) {
			return new InMemoryDatabaseWarning(environment.getProperty(LaunchParameters.NAME_PROPERTY, ""));
		}

		@Bean
		WorkerRuntime vmWorkerRuntime(Environment environment, KryoCodec codec, ObjectProvider<Tracing> tracing,
				ObjectProvider<SslBundles> sslBundles, BeanFactory beanFactory) throws IOException {
			String name = environment.getRequiredProperty(LaunchParameters.NAME_PROPERTY);
			Duration spin = Duration.ofNanos(environment.getRequiredProperty(LaunchParameters.SPIN_PROPERTY, Long.class));
			IdleStrategy idle = environment.getProperty(LaunchParameters.IDLE_PROPERTY, IdleStrategy.class,
					IdleStrategy.ADAPTIVE);
			Duration sendTimeout = Duration
				.ofNanos(environment.getRequiredProperty(LaunchParameters.SEND_TIMEOUT_PROPERTY, Long.class));
			WorkerRuntime runtime;
			if ("tcp".equals(environment.getProperty(LaunchParameters.TRANSPORT_PROPERTY))) {
				TcpChannel connection = MasterDial.dial(environment, spin, sslBundles::getIfAvailable);
				runtime = WorkerRuntime.overTcp(name, connection, idle, sendTimeout, codec, beanFactory);
			}
			else {
				runtime = new WorkerRuntime(name,
						Path.of(environment.getRequiredProperty(LaunchParameters.INBOUND_PROPERTY)),
						Path.of(environment.getRequiredProperty(LaunchParameters.OUTBOUND_PROPERTY)), spin, idle,
						sendTimeout, codec, beanFactory);
			}
			runtime.tracing(tracing.getIfAvailable(() -> Tracing.OFF));
			return runtime;
		}

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		WorkerChannel workerChannel(WorkerRuntime runtime) {
			return runtime.channel();
		}

	}

}
