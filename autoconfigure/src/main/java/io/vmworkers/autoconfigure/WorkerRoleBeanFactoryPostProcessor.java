package io.vmworkers.autoconfigure;

import java.lang.reflect.Method;
import java.util.List;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * In a worker JVM, removes the application's beans that would act on their own: runners, event
 * listeners ({@link ApplicationListener} beans and beans with {@link EventListener} methods). With
 * lazy initialization, which workers switch on, every other bean is created only if the worker's
 * task needs it, so {@code @Scheduled} methods of unrelated beans never run either.
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
			if (type == null) {
				continue;
			}
			Class<?> userClass = ClassUtils.getUserClass(type);
			if (isApplicationClass(userClass, packages) && actsOnItsOwn(userClass)) {
				registry.removeBeanDefinition(name);
			}
		}
	}

	private static boolean isApplicationClass(Class<?> type, List<String> packages) {
		String name = type.getName();
		return packages.stream().anyMatch((base) -> name.startsWith(base + "."));
	}

	private static boolean actsOnItsOwn(Class<?> type) {
		if (ACTIVE_TYPES.stream().anyMatch((active) -> active.isAssignableFrom(type))) {
			return true;
		}
		for (Method method : ReflectionUtils.getUniqueDeclaredMethods(type, ReflectionUtils.USER_DECLARED_METHODS)) {
			if (AnnotatedElementUtils.hasAnnotation(method, EventListener.class)) {
				return true;
			}
		}
		return false;
	}

}
