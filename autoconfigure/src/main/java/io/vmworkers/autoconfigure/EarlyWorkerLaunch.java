package io.vmworkers.autoconfigure;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vmworkers.dispatch.PoolSettings;
import io.vmworkers.dispatch.WorkerSettings;
import io.vmworkers.dispatch.master.DefaultVmDispatcher;
import io.vmworkers.dispatch.master.EarlyLaunches;
import io.vmworkers.dispatch.master.WorkerTaskRegistrar;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * On the master, launches the workers as soon as the bean definitions are known, before any bean
 * is created: a worker's JVM then starts while the master creates its beans and web server, not
 * after them. The settings are bound from the environment here the way
 * {@link VmWorkersProperties} is bound later; the dispatcher adopts each process whose settings
 * and command turn out the same and launches the others again. Launches nobody adopted, as when
 * the context fails first, are killed and removed when the context closes.
 */
final class EarlyWorkerLaunch implements BeanFactoryPostProcessor, EnvironmentAware, DisposableBean, Ordered {

	/** Name under which Spring Boot registers the {@link ApplicationArguments}. */
	private static final String ARGUMENTS_BEAN = "springApplicationArguments";

	private static final Log logger = LogFactory.getLog(EarlyWorkerLaunch.class);

	private final WorkerTaskRegistrar registrar;

	private Environment environment;

	private volatile EarlyLaunches launches;

	EarlyWorkerLaunch(WorkerTaskRegistrar registrar) {
		this.registrar = registrar;
	}

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public int getOrder() {
		// After every other post-processor has had its say about the bean definitions.
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
		if (this.registrar.tasks().isEmpty() || !(this.environment instanceof ConfigurableEnvironment)) {
			return;
		}
		String applicationClass = applicationClass(beanFactory);
		if (applicationClass == null) {
			// The dispatcher reports it.
			return;
		}
		if (MasterConnectionDetails.defined(beanFactory)) {
			// Their values exist only once the beans do: the dispatcher launches the workers then.
			logger.debug("Workers not launched early: they get the master's connection details");
			return;
		}
		VmWorkersProperties properties;
		Map<String, WorkerSettings> settings = new LinkedHashMap<>();
		Map<String, PoolSettings> pools = new LinkedHashMap<>();
		try {
			properties = Binder.get(this.environment).bindOrCreate(VmWorkersProperties.PREFIX,
					VmWorkersProperties.class);
			this.registrar.tasks().forEach((name, taskClass) -> {
				settings.put(name, properties.settingsFor(name));
				pools.put(name, properties.poolFor(name, PoolSettings.annotatedReplicas(taskClass)));
			});
		}
		catch (RuntimeException ex) {
			// Left for the context's own binding to report.
			logger.debug("Workers not launched early: their settings could not be bound", ex);
			return;
		}
		EarlyLaunches early = new EarlyLaunches(applicationClass, this.registrar.tasks(),
				VmWorkersAutoConfiguration.applicationPackages(beanFactory), arguments(beanFactory),
				Arrays.asList(this.environment.getActiveProfiles()), properties.classDataSharing());
		this.launches = early;
		early.launch(settings, pools);
	}

	/**
	 * Hands the processes launched early to the dispatcher; after that there is nothing left here
	 * to close.
	 * @param dispatcher the dispatcher, not yet initialized
	 */
	void handOver(DefaultVmDispatcher dispatcher) {
		EarlyLaunches early = this.launches;
		this.launches = null;
		if (early != null) {
			dispatcher.adopt(early);
		}
	}

	@Override
	public void destroy() {
		EarlyLaunches early = this.launches;
		this.launches = null;
		if (early != null) {
			early.close();
		}
	}

	/**
	 * Finds the {@code @SpringBootConfiguration} class among the bean definitions, without
	 * creating or resolving any bean.
	 */
	private static String applicationClass(ConfigurableListableBeanFactory beanFactory) {
		for (String name : beanFactory.getBeanDefinitionNames()) {
			BeanDefinition definition = beanFactory.getBeanDefinition(name);
			if (definition instanceof AnnotatedBeanDefinition annotated
					&& annotated.getMetadata().isAnnotated(SpringBootConfiguration.class.getName())) {
				return annotated.getMetadata().getClassName();
			}
		}
		return null;
	}

	private static List<String> arguments(ConfigurableListableBeanFactory beanFactory) {
		Object arguments = beanFactory.getSingleton(ARGUMENTS_BEAN);
		List<String> sourceArgs = (arguments instanceof ApplicationArguments applicationArguments)
				? Arrays.asList(applicationArguments.getSourceArgs()) : List.of();
		return VmWorkersAutoConfiguration.workerArguments(sourceArgs, beanFactory);
	}

}
