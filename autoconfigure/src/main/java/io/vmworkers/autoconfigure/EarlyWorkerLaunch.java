package io.vmworkers.autoconfigure;

import io.vmworkers.dispatch.master.DefaultVmDispatcher;
import io.vmworkers.dispatch.master.EarlyLaunches;
import io.vmworkers.dispatch.master.LaunchPlan;
import io.vmworkers.dispatch.master.WorkerTaskRegistrar;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * On the master, makes the {@link LaunchPlan} and launches the workers as soon as the bean
 * definitions are known, before any bean is created: a worker's JVM then starts while the master
 * creates its beans and web server, not after them. The {@code vmWorkersLaunchPlan} bean is this
 * plan, so the dispatcher made from it adopts these processes as they are, when it is initialized.
 * Launches nobody adopted, as when the context fails first, are killed and removed when the
 * context closes.
 */
final class EarlyWorkerLaunch
		implements BeanFactoryPostProcessor, BeanPostProcessor, EnvironmentAware, DisposableBean, Ordered {

	private static final Log logger = LogFactory.getLog(EarlyWorkerLaunch.class);

	private final WorkerTaskRegistrar registrar;

	private Environment environment;

	private volatile LaunchPlan plan;

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
		// After every other ordered post-processor has had its say about the bean definitions.
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
		if (this.registrar.tasks().isEmpty() || !(this.environment instanceof ConfigurableEnvironment)) {
			return;
		}
		if (inProcess(this.environment)) {
			// Workers in the master's JVM start with its context, once the beans they may need exist.
			return;
		}
		if (MasterConnectionDetails.defined(beanFactory)) {
			// Their values exist only once the beans do: the dispatcher launches the workers then.
			logger.debug("Workers not launched early: they get the master's connection details");
			return;
		}
		if (this.environment.containsProperty("vmworkers.transport.tcp.ssl.bundle")) {
			// The listener's TLS comes from the SSL bundles bean: the dispatcher launches the workers then.
			logger.debug("Workers not launched early: their connections use an SSL bundle");
			return;
		}
		LaunchPlan early;
		try {
			early = new LaunchPlanFactory(this.registrar.tasks(), beanFactory, this.environment).bind();
		}
		catch (RuntimeException ex) {
			// The launch plan bean makes it again, binding the properties bean, and reports what is wrong.
			logger.debug("Workers not launched early: their launch plan could not be made", ex);
			return;
		}
		if (early.workers().values().stream().anyMatch((worker) -> !worker.settings().local())) {
			// Placements are beans: the dispatcher launches the workers once they exist.
			logger.debug("Workers not launched early: a worker is placed elsewhere");
			return;
		}
		EarlyLaunches launched = new EarlyLaunches(early);
		this.plan = early;
		this.launches = launched;
		launched.launch();
	}

	static boolean inProcess(Environment environment) {
		return environment.getProperty(VmWorkersProperties.PREFIX + ".mode", VmWorkersProperties.Mode.class,
				VmWorkersProperties.Mode.PROCESS) == VmWorkersProperties.Mode.IN_PROCESS;
	}

	/**
	 * Returns the plan the workers were launched early from.
	 * @return the plan, or null when none was launched early
	 */
	LaunchPlan plan() {
		return this.plan;
	}

	/**
	 * Hands the processes launched early to the dispatcher before it is initialized (and launches
	 * what it still lacks); after that there is nothing left here to close.
	 */
	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof DefaultVmDispatcher dispatcher) {
			EarlyLaunches early = this.launches;
			this.launches = null;
			if (early != null) {
				dispatcher.adopt(early);
			}
		}
		return bean;
	}

	@Override
	public void destroy() {
		EarlyLaunches early = this.launches;
		this.launches = null;
		if (early != null) {
			early.close();
		}
	}

}
