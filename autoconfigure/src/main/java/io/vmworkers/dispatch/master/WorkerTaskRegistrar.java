package io.vmworkers.dispatch.master;

import java.lang.reflect.Method;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.vmworkers.annotation.WorkerTask;
import io.vmworkers.protocol.TaskMethods;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.cglib.core.SpringNamingPolicy;
import org.springframework.cglib.proxy.CallbackFilter;
import org.springframework.cglib.proxy.Enhancer;
import org.springframework.cglib.proxy.MethodInterceptor;
import org.springframework.cglib.proxy.NoOp;
import org.springframework.util.ClassUtils;

/**
 * Finds the {@code @WorkerTask} bean definitions and, on the master, replaces each bean class with a
 * generated subclass whose routed methods can be sent to the worker. The subclass starts with no
 * routing: during construction and initialization methods run locally; {@link WorkerTaskPostProcessor}
 * switches routing on once the bean is initialized.
 */
public final class WorkerTaskRegistrar implements BeanDefinitionRegistryPostProcessor, BeanClassLoaderAware {

	/** Index of the routing callback; the other one calls the method itself. */
	static final int ROUTING_CALLBACK = 0;

	private static final CallbackFilter ROUTING_FILTER = new RoutingFilter();

	private final boolean master;

	private final Map<String, Class<?>> tasks = new LinkedHashMap<>();

	private ClassLoader classLoader = ClassUtils.getDefaultClassLoader();

	/**
	 * Creates the registrar.
	 * @param master true on the master, where task classes are subclassed for routing
	 */
	public WorkerTaskRegistrar(boolean master) {
		this.master = master;
	}

	@Override
	public void setBeanClassLoader(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
		for (String name : registry.getBeanDefinitionNames()) {
			BeanDefinition definition = registry.getBeanDefinition(name);
			if (!(definition instanceof AnnotatedBeanDefinition annotated)
					|| !annotated.getMetadata().isAnnotated(WorkerTask.class.getName())
					|| definition.getBeanClassName() == null) {
				continue;
			}
			Class<?> taskClass = ClassUtils.resolveClassName(definition.getBeanClassName(), this.classLoader);
			this.tasks.put(name, taskClass);
			if (this.master && definition instanceof AbstractBeanDefinition abstractDefinition) {
				TaskMethods.of(taskClass).checkInterceptable();
				abstractDefinition.setBeanClass(enhance(taskClass));
			}
		}
	}

	/**
	 * Returns the task classes found, by bean name, in definition order.
	 * @return the tasks
	 */
	public Map<String, Class<?>> tasks() {
		return Collections.unmodifiableMap(this.tasks);
	}

	private Class<?> enhance(Class<?> taskClass) {
		Enhancer enhancer = new Enhancer();
		enhancer.setSuperclass(taskClass);
		enhancer.setInterfaces(new Class<?>[] { RoutedTask.class });
		enhancer.setUseFactory(true);
		enhancer.setNamingPolicy(SpringNamingPolicy.INSTANCE);
		enhancer.setClassLoader(taskClass.getClassLoader());
		enhancer.setCallbackFilter(ROUTING_FILTER);
		enhancer.setCallbackTypes(new Class<?>[] { MethodInterceptor.class, NoOp.class });
		return enhancer.createClass();
	}

	/** Marks the generated subclasses of task classes. */
	public interface RoutedTask {

	}

	private static final class RoutingFilter implements CallbackFilter {

		@Override
		public int accept(Method method) {
			return (TaskMethods.isRouted(method) && method.getDeclaringClass() != RoutedTask.class) ? ROUTING_CALLBACK
					: 1;
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof RoutingFilter;
		}

		@Override
		public int hashCode() {
			return RoutingFilter.class.hashCode();
		}

	}

}
