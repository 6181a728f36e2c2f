package io.vmworkers.autoconfigure;

import io.vmworkers.actuate.CallLatencyRecorder;
import io.vmworkers.actuate.WorkerSampler;
import io.vmworkers.dispatch.VmDispatcher;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * The sampler behind the {@code vmworkers} endpoint's rates and the worker process meters: on
 * the master, when the application has the actuator or Micrometer.
 */
@AutoConfiguration(after = VmWorkersAutoConfiguration.class)
@ConditionalOnBean(VmDispatcher.class)
@Conditional(VmWorkersMonitoringAutoConfiguration.OnActuatorOrMicrometerCondition.class)
public final class VmWorkersMonitoringAutoConfiguration {

	// Not a dependency of the dispatcher's: the dispatcher collects WorkerObserver beans when it is created.
	@Bean
	@ConditionalOnMissingBean
	CallLatencyRecorder vmWorkersCallLatencyRecorder() {
		return new CallLatencyRecorder();
	}

	@Bean
	@ConditionalOnMissingBean
	WorkerSampler vmWorkersSampler(VmDispatcher dispatcher, CallLatencyRecorder latencies) {
		return new WorkerSampler(dispatcher, latencies);
	}

	static final class OnActuatorOrMicrometerCondition extends AnyNestedCondition {

		OnActuatorOrMicrometerCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
		static final class OnActuator {

		}

		@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
		static final class OnMicrometer {

		}

	}

}
