package io.vmworkers.dispatch.master;

import java.lang.reflect.Method;

import io.vmworkers.protocol.DataHandlers;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.cglib.proxy.Factory;
import org.springframework.cglib.proxy.MethodInterceptor;
import org.springframework.cglib.proxy.MethodProxy;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

/**
 * On the master, switches a task bean's routing on once it is initialized, and registers its
 * {@code @OnData @OnMaster} methods with its channel.
 */
public final class WorkerTaskPostProcessor implements BeanPostProcessor, Ordered {

	private final ObjectProvider<DefaultVmDispatcher> dispatcher;

	public WorkerTaskPostProcessor(ObjectProvider<DefaultVmDispatcher> dispatcher) {
		this.dispatcher = dispatcher;
	}

	@Override
	public int getOrder() {
		// First, so that it sees the generated subclass, not an AOP proxy around it.
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof WorkerTaskRegistrar.RoutedTask && bean instanceof Factory factory) {
			WorkerPool worker = this.dispatcher.getObject().pool(beanName);
			worker.channelEnd().handlers(DataHandlers.of(bean, ClassUtils.getUserClass(bean), true));
			factory.setCallback(WorkerTaskRegistrar.ROUTING_CALLBACK, new Router(worker));
		}
		return bean;
	}

	private static final class Router implements MethodInterceptor {

		private final WorkerPool worker;

		Router(WorkerPool worker) {
			this.worker = worker;
		}

		@Override
		public Object intercept(Object target, Method method, Object[] arguments, MethodProxy proxy) throws Throwable {
			int index = this.worker.methods().indexOf(method);
			if (index < 0) {
				return proxy.invokeSuper(target, arguments);
			}
			return this.worker.invoke(method, index, arguments);
		}

	}

}
