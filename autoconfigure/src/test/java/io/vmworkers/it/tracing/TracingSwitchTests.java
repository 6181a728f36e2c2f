package io.vmworkers.it.tracing;

import io.vmworkers.autoconfigure.VmWorkersAutoConfiguration;
import io.vmworkers.protocol.Tracing;
import io.vmworkers.tracing.ObservationTracing;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** Calls are traced when the application traces, and only then. */
class TracingSwitchTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, BraveAutoConfiguration.class,
				MicrometerTracingAutoConfiguration.class, VmWorkersAutoConfiguration.class));

	@Test
	void anApplicationTracingWithBraveHasItsCallsTraced() {
		this.runner.run((context) -> assertThat(context.getBean(Tracing.class)).isInstanceOf(ObservationTracing.class));
	}

	@Test
	void thePropertySwitchesItOff() {
		this.runner.withPropertyValues("vmworkers.tracing.enabled=false")
			.run((context) -> assertThat(context.getBean(Tracing.class)).isSameAs(Tracing.OFF));
	}

	@Test
	void withoutMicrometerTracingNothingIsTraced() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer.tracing"))
			.run((context) -> assertThat(context.getBean(Tracing.class)).isSameAs(Tracing.OFF));
	}

}
