package io.vmworkers.it.tracing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An application that traces with Brave: calls and data carry the trace into the worker. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(OutputCaptureExtension.class)
class TracingIntegrationTests {

	private static ConfigurableApplicationContext context;

	@BeforeAll
	static void start() {
		context = Workers.start(TracingApplication.class);
	}

	@AfterAll
	static void stop() {
		Workers.closeAndCheckNothingLeft(context);
	}

	@Test
	void callMadeInAnObservationContinuesItsTraceOnTheWorker(CapturedOutput output) {
		TracedTask task = context.getBean(TracedTask.class);
		Tracer tracer = context.getBean(Tracer.class);
		String[] traces = new String[2];
		Observation.createNotStarted("test.request", context.getBean(ObservationRegistry.class)).observe(() -> {
			traces[0] = tracer.currentSpan().context().traceId();
			traces[1] = task.traceId();
		});
		assertThat(traces[0]).isNotBlank();
		assertThat(traces[1]).isEqualTo(traces[0]);
		// The worker's log line, forwarded by the master, names the trace.
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(output.getOut()).containsPattern("serving a traced call")
				.containsPattern("\\[tracedTask\\].*" + traces[0] + ".*serving a traced call"));
	}

	@Test
	void asynchronousCallContinuesItsTraceToo() throws Exception {
		TracedTask task = context.getBean(TracedTask.class);
		Tracer tracer = context.getBean(Tracer.class);
		String[] traces = new String[2];
		Observation.createNotStarted("test.request", context.getBean(ObservationRegistry.class)).observeChecked(() -> {
			traces[0] = tracer.currentSpan().context().traceId();
			traces[1] = task.traceIdLater().get(30, TimeUnit.SECONDS);
		});
		assertThat(traces[1]).isEqualTo(traces[0]);
	}

	@Test
	void callOutsideAnyObservationIsNotTraced() {
		assertThat(context.getBean(TracedTask.class).traceId()).isEqualTo("none");
	}

	@Test
	void dataPutInAnObservationReachesTheOnDataHandlerInItsTrace() {
		TracedTask task = context.getBean(TracedTask.class);
		Tracer tracer = context.getBean(Tracer.class);
		String[] trace = new String[1];
		Observation.createNotStarted("test.produce", context.getBean(ObservationRegistry.class)).observe(() -> {
			trace[0] = tracer.currentSpan().context().traceId();
			context.getBean(VmDispatcher.class).worker("tracedTask").channel().put("reading");
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> trace[0].equals(task.dataTrace()));
	}

}
