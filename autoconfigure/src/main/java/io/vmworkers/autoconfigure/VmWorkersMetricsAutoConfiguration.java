package io.vmworkers.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.vmworkers.actuate.CallLatencyMetrics;
import io.vmworkers.actuate.ChannelMetrics;
import io.vmworkers.actuate.WorkerSampler;
import io.vmworkers.dispatch.VmDispatcher;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of every worker and its channel, and the opt-in call latency timer, when the
 * application has a {@link MeterRegistry}.
 */
@AutoConfiguration(after = VmWorkersMonitoringAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, VmDispatcher.class, WorkerSampler.class })
@EnableConfigurationProperties(VmWorkersMetricsProperties.class)
public final class VmWorkersMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ChannelMetrics vmWorkersChannelMetrics(VmDispatcher dispatcher, WorkerSampler sampler) {
		return new ChannelMetrics(dispatcher, sampler);
	}

	// Not a dependency of the dispatcher's: the dispatcher collects WorkerObserver beans when it is created.
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty("vmworkers.metrics.call-latency.enabled")
	CallLatencyMetrics vmWorkersCallLatencyMetrics() {
		return new CallLatencyMetrics();
	}

}
