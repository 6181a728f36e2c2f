package io.vmworkers.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import io.vmworkers.protocol.Tracing;
import io.vmworkers.tracing.ObservationTracing;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Whether calls and data carry traces: only when the application traces, that is when Micrometer
 * Tracing is on the class path with a tracer that propagates (a {@code Propagator} bean: Brave's
 * or OpenTelemetry's bridge) and an {@link ObservationRegistry} bean. Otherwise {@link Tracing#OFF}:
 * no observation is made per call and nothing is added to a frame.
 */
final class TracingDetection {

	private static final String PROPAGATOR = "io.micrometer.tracing.propagation.Propagator";

	private TracingDetection() {
	}

	static Tracing tracing(ListableBeanFactory beanFactory) {
		ClassLoader classLoader = (beanFactory instanceof ConfigurableBeanFactory configurable)
				? configurable.getBeanClassLoader() : TracingDetection.class.getClassLoader();
		if (!ClassUtils.isPresent(PROPAGATOR, classLoader)) {
			return Tracing.OFF;
		}
		Class<?> propagator = ClassUtils.resolveClassName(PROPAGATOR, classLoader);
		if (beanFactory.getBeanNamesForType(propagator, false, false).length == 0
				|| beanFactory.getBeanNamesForType(ObservationRegistry.class, false, false).length == 0) {
			return Tracing.OFF;
		}
		return new ObservationTracing(beanFactory.getBean(ObservationRegistry.class));
	}

}
