package io.vmworkers.autoconfigure;

import java.lang.reflect.Method;
import java.util.List;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.annotation.Schedules;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * In a worker JVM, removes the application's beans that would act on their own: runners, event
 * listeners ({@link ApplicationListener} beans and beans with {@link EventListener} methods) and
 * beans with {@code @Scheduled} methods (Boot excludes those from lazy initialization). With lazy
 * initialization, which workers switch on, every other bean is created only if the worker's task
 * needs it. Beans of auto-configurations and libraries are left alone.
 */
final class WorkerRoleBeanFactoryPostProcessor implements BeanFactoryPostProcessor {

	private static final List<Class<?>> ACTIVE_TYPES = List.of(CommandLineRunner.class, ApplicationRunner.class,
			ApplicationListener.class);

	private final String workerName;

	WorkerRoleBeanFactoryPostProcessor(String workerName) {
		this.workerName = workerName;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
		if (!(beanFactory instanceof BeanDefinitionRegistry registry) || !AutoConfigurationPackages.has(beanFactory)) {
			return;
		}
		List<String> packages = AutoConfigurationPackages.get(beanFactory);
		for (String name : beanFactory.getBeanDefinitionNames()) {
			if (name.equals(this.workerName)) {
				continue;
			}
			Class<?> type = beanFactory.getType(name, false);
			if (type != null && isApplicationBean(beanFactory, name, packages)
					&& actsOnItsOwn(ClassUtils.getUserClass(type))) {
				registry.removeBeanDefinition(name);
			}
		}
	}

	/**
	 * Whether the application defined the bean: its class, or for a {@code @Bean} method the
	 * configuration class declaring it, is in the application's packages.
	 */
	private static boolean isApplicationBean(ConfigurableListableBeanFactory beanFactory, String name,
			List<String> packages) {
		BeanDefinition definition = beanFactory.getBeanDefinition(name);
		String definingClass = definition.getBeanClassName();
		if (definition.getFactoryBeanName() != null) {
			Class<?> factory = beanFactory.getType(definition.getFactoryBeanName(), false);
			definingClass = (factory != null) ? ClassUtils.getUserClass(factory).getName() : null;
		}
		return definingClass != null && isApplicationClass(definingClass, packages);
	}

	private static boolean isApplicationClass(String name, List<String> packages) {
		return packages.stream().anyMatch((base) -> name.startsWith(base + "."));
	}

	private static boolean actsOnItsOwn(Class<?> type) {
		if (ACTIVE_TYPES.stream().anyMatch((active) -> active.isAssignableFrom(type))) {
			return true;
		}
		for (Method method : ReflectionUtils.getUniqueDeclaredMethods(type, ReflectionUtils.USER_DECLARED_METHODS)) {
			if (AnnotatedElementUtils.hasAnnotation(method, EventListener.class)
					|| AnnotatedElementUtils.hasAnnotation(method, Scheduled.class)
					|| AnnotatedElementUtils.hasAnnotation(method, Schedules.class)) {
				return true;
			}
		}
		return false;
	}

}
