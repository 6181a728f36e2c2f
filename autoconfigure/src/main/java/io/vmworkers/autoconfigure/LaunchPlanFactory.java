package io.vmworkers.autoconfigure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.vmworkers.channel.ChannelDirectoryException;
import io.vmworkers.dispatch.PoolSettings;
import io.vmworkers.dispatch.Transport;
import io.vmworkers.dispatch.WorkerContext;
import io.vmworkers.dispatch.master.LaunchPlan;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.env.Environment;

/**
 * Makes the master's {@link LaunchPlan}, the one place where the workers' settings are merged and
 * checked: names under {@code vmworkers.workers} that are no worker, JVM options, CPU lists, pool
 * sizes, a task context beside the application's own codec, the application class. It reads only
 * bean definitions and singletons registered before the refresh, so the early launch can make the
 * plan before any bean exists, and the {@code vmWorkersLaunchPlan} bean the same way when no early
 * launch did.
 */
final class LaunchPlanFactory {

	private static final Log logger = LogFactory.getLog(LaunchPlanFactory.class);

	/** Name under which Spring Boot registers the {@link ApplicationArguments}. */
	private static final String ARGUMENTS_BEAN = "springApplicationArguments";

	private final Map<String, Class<?>> tasks;

	private final ConfigurableListableBeanFactory beanFactory;

	private final Environment environment;

	/**
	 * Creates the factory.
	 * @param tasks the task classes, by worker (bean) name
	 * @param beanFactory the master's bean factory
	 * @param environment the master's environment
	 */
	LaunchPlanFactory(Map<String, Class<?>> tasks, ConfigurableListableBeanFactory beanFactory,
			Environment environment) {
		this.tasks = tasks;
		this.beanFactory = beanFactory;
		this.environment = environment;
	}

	/**
	 * Makes the plan from {@code vmworkers.*} bound here from the environment, for a plan needed
	 * before the properties bean exists.
	 * @return the plan
	 * @throws RuntimeException when the properties cannot be bound or a setting is wrong
	 */
	LaunchPlan bind() {
		return create(Binder.get(this.environment).bindOrCreate(VmWorkersProperties.PREFIX, VmWorkersProperties.class));
	}

	/**
	 * Makes the plan.
	 * @param properties the bound {@code vmworkers.*} properties
	 * @return the plan
	 * @throws UnknownWorkerException when {@code vmworkers.workers.<name>} names no worker
	 * @throws IllegalArgumentException when a setting is out of range or malformed, naming it
	 * @throws IllegalStateException when the workers cannot run as configured
	 */
	LaunchPlan create(VmWorkersProperties properties) {
		checkWorkerNames(properties.getWorkers().keySet());
		Map<String, LaunchPlan.Worker> workers = new LinkedHashMap<>();
		this.tasks.forEach((name, taskClass) -> workers.put(name, new LaunchPlan.Worker(taskClass,
				properties.settingsFor(name), properties.poolFor(name, PoolSettings.annotatedReplicas(taskClass)))));
		if (!this.beanFactory.containsBeanDefinition(VmWorkersAutoConfiguration.CODEC_BEAN)) {
			checkNoTaskContext(workers);
		}
		checkDebugPortsDiffer(workers);
		fallBackToTcp(workers, properties.getChannel().getDirectory());
		return new LaunchPlan(applicationClass(), VmWorkersAutoConfiguration.applicationPackages(this.beanFactory),
				arguments(), Arrays.asList(this.environment.getActiveProfiles()), properties.classDataSharing(),
				workers, properties.tcpWorkerListener(sslBundles(properties),
				workers.values().stream().anyMatch((worker) -> !worker.settings().local())));
	}

	/**
	 * Puts the workers on shared memory on the TCP transport instead when the default channel
	 * directory cannot hold their rings (a container without {@code /dev/shm}, or with a read-only
	 * or tiny one), and says so. A directory the application names itself fails the start-up
	 * instead, with its reason.
	 */
	private void fallBackToTcp(Map<String, LaunchPlan.Worker> workers, Path directory) {
		if (this.environment.containsProperty("vmworkers.channel.directory")) {
			return;
		}
		List<String> onSharedMemory = workers.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().settings().transport() == Transport.SHM)
			.map(Map.Entry::getKey)
			.toList();
		if (onSharedMemory.isEmpty()) {
			return;
		}
		long required = onSharedMemory.stream().mapToLong((name) -> workers.get(name).ringBytes()).sum();
		try {
			ChannelDirectoryException.check(directory, required);
		}
		catch (ChannelDirectoryException ex) {
			logger.warn("vmworkers: " + ex.getMessage() + "; workers " + onSharedMemory
					+ " use the TCP transport on the loopback address instead (set vmworkers.channel.directory to a"
					+ " tmpfs directory with room for their rings, or vmworkers.workers.<name>.transport=tcp)");
			for (String name : onSharedMemory) {
				LaunchPlan.Worker worker = workers.get(name);
				workers.put(name, new LaunchPlan.Worker(worker.taskClass(), worker.settings().withTransport(Transport.TCP),
						worker.pool()));
			}
		}
	}

	/**
	 * Returns the SSL bundles when the workers' connections use one: a bean, so never asked for by
	 * an early launch ({@link EarlyWorkerLaunch} does not launch early then).
	 */
	private SslBundles sslBundles(VmWorkersProperties properties) {
		return (properties.getTransport().getTcp().getSsl().getBundle() != null)
				? this.beanFactory.getBeanProvider(SslBundles.class).getIfAvailable() : null;
	}

	/** Checks that no two workers are given the same fixed debugger port. */
	private static void checkDebugPortsDiffer(Map<String, LaunchPlan.Worker> workers) {
		Map<Integer, String> owners = new LinkedHashMap<>();
		workers.forEach((name, worker) -> {
			int port = worker.settings().debug().port();
			String other = (port > 0) ? owners.putIfAbsent(port, name) : null;
			if (other != null) {
				throw new IllegalArgumentException("vmworkers.workers." + other + ".debug.port and vmworkers.workers."
						+ name + ".debug.port are both " + port + ": give each worker a port of its own, or 0 for a"
						+ " free one");
			}
		});
	}

	/**
	 * Checks that each {@code vmworkers.workers.<entry>} configures a worker: named as it is, or
	 * but for case, dashes and underscores (an environment variable's name), and that no worker is
	 * configured by two entries.
	 */
	private void checkWorkerNames(Set<String> configured) {
		Set<String> unknown = new LinkedHashSet<>();
		Map<String, List<String>> entriesByWorker = new LinkedHashMap<>();
		for (String entry : configured) {
			String worker = this.tasks.containsKey(entry) ? entry : this.tasks.keySet()
				.stream()
				.filter((name) -> VmWorkersProperties.looseName(name).equals(VmWorkersProperties.looseName(entry)))
				.findFirst()
				.orElse(null);
			if (worker == null) {
				unknown.add(entry);
			}
			else {
				entriesByWorker.computeIfAbsent(worker, (key) -> new ArrayList<>()).add(entry);
			}
		}
		if (!unknown.isEmpty()) {
			throw new UnknownWorkerException(unknown, this.tasks.keySet());
		}
		entriesByWorker.forEach((worker, entries) -> {
			if (entries.size() > 1) {
				throw new IllegalStateException("vmworkers.workers." + String.join(" and vmworkers.workers.", entries)
						+ " both configure worker '" + worker + "' (an environment variable's name arrives in lower"
						+ " case); configure it under one name, '" + worker + "'");
			}
		});
	}

	/** A worker with a task context builds vmworkers' own codec, not the application's. */
	private static void checkNoTaskContext(Map<String, LaunchPlan.Worker> workers) {
		workers.forEach((name, worker) -> {
			if (worker.settings().context() == WorkerContext.TASK) {
				throw new IllegalStateException("worker '" + name + "' has a task context ("
						+ WorkerContext.taskContextProperties(name) + "), but the application defines its own KryoCodec"
						+ " bean, which a task context does not have, so the two ends would encode differently;"
						+ " set the context to 'application' for it");
			}
		});
	}

	/**
	 * Finds the {@code @SpringBootConfiguration} class among the bean definitions, without
	 * creating or resolving any bean.
	 */
	private String applicationClass() {
		if (this.tasks.isEmpty()) {
			return "";
		}
		for (String name : this.beanFactory.getBeanDefinitionNames()) {
			BeanDefinition definition = this.beanFactory.getBeanDefinition(name);
			if (definition instanceof AnnotatedBeanDefinition annotated
					&& annotated.getMetadata().isAnnotated(SpringBootConfiguration.class.getName())) {
				return annotated.getMetadata().getClassName();
			}
		}
		throw new IllegalStateException("vmworkers found @WorkerTask beans " + this.tasks.keySet()
				+ " but no @SpringBootConfiguration class for workers to run; start the application"
				+ " from a @SpringBootApplication class");
	}

	/**
	 * The arguments a worker starts with: the master's own, then what vmworkers adds so that a
	 * worker follows the master's decisions about development services (see
	 * {@link DockerComposeInWorkers}).
	 */
	private List<String> arguments() {
		List<String> arguments = new ArrayList<>();
		if (this.beanFactory.getSingleton(ARGUMENTS_BEAN) instanceof ApplicationArguments applicationArguments) {
			arguments.addAll(Arrays.asList(applicationArguments.getSourceArgs()));
		}
		arguments.addAll(DockerComposeInWorkers.workerArguments(this.beanFactory.getBeanClassLoader()));
		return arguments;
	}

}
