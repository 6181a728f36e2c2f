package io.vmworkers.it.tracing;

import java.util.concurrent.TimeUnit;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/** In-process mode keeps the trace too: the task runs under the master's tracer, in a server span. */
@SpringBootTest(classes = TracingApplication.class, properties = "vmworkers.mode=in-process")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TracingInProcessIntegrationTests {

	@Autowired
	private TracedTask task;

	@Autowired
	private Tracer tracer;

	@Autowired
	private ObservationRegistry registry;

	@Test
	void callMadeInAnObservationRunsInItsTrace() {
		String[] traces = new String[2];
		Observation.createNotStarted("test.request", this.registry).observe(() -> {
			traces[0] = this.tracer.currentSpan().context().traceId();
			traces[1] = this.task.traceId();
		});
		assertThat(traces[1]).isEqualTo(traces[0]);
		// The call did not leave its span current on the caller's thread.
		assertThat(this.tracer.currentSpan()).isNull();
	}

}
