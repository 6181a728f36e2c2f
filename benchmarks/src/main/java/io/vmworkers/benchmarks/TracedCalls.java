package io.vmworkers.benchmarks;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The call {@code int inc(int)} from two masters of the same application with Brave on the class
 * path, one with vmworkers' tracing off (the path of an application without a tracer), one with
 * it on: each called plain (outside any span) and inside a request's span (an observation the
 * application makes around the call); interleaved rounds, each contender's median and p99
 * printed per round in nanoseconds. Run by {@link TracingCases} with
 * {@code lib-tracing/} on the class path:
 * <pre>
 * java -Xmx512m -cp "benchmarks/target/vmworkers-benchmarks.jar:benchmarks/target/lib-tracing/*" io.vmworkers.benchmarks.TracedCalls
 * </pre>
 */
public final class TracedCalls {

	private static final int CALLS = 200_000;

	private static final int ROUNDS = 5;

	private TracedCalls() {
	}

	public static void main(String[] args) throws Exception {
		try (ConfigurableApplicationContext untraced = Masters.start(BenchmarkApplication.CALLS,
				"vmworkers.tracing.enabled=false");
				ConfigurableApplicationContext traced = Masters.start(BenchmarkApplication.CALLS)) {
			EchoTask plain = untraced.getBean(EchoTask.class);
			EchoTask tracedEcho = traced.getBean(EchoTask.class);
			ObservationRegistry registry = traced.getBean(ObservationRegistry.class);
			ObservationRegistry untracedRegistry = untraced.getBean(ObservationRegistry.class);
			Map<String, RoundTrip.Step> contenders = new LinkedHashMap<>();
			contenders.put("off", plain::inc);
			contenders.put("on", tracedEcho::inc);
			contenders.put("off-in-span", (value) -> Observation.createNotStarted("benchmark.request", untracedRegistry)
				.observe(() -> plain.inc(value)));
			contenders.put("on-in-span", (value) -> Observation.createNotStarted("benchmark.request", registry)
				.observe(() -> tracedEcho.inc(value)));
			for (RoundTrip.Step step : contenders.values()) {
				time(step, CALLS);
			}
			for (int round = 1; round <= ROUNDS; round++) {
				for (Map.Entry<String, RoundTrip.Step> contender : contenders.entrySet()) {
					long[] times = time(contender.getValue(), CALLS);
					Arrays.sort(times);
					System.out.println("round " + round + " " + contender.getKey() + " p50 " + times[times.length / 2]
							+ " p99 " + times[(int) (times.length * 0.99)]);
				}
			}
		}
	}

	private static long[] time(RoundTrip.Step step, int calls) throws Exception {
		long[] times = new long[calls];
		for (int i = 0; i < calls; i++) {
			long start = System.nanoTime();
			if (step.apply(i) != i + 1) {
				throw new IllegalStateException("wrong answer");
			}
			times[i] = System.nanoTime() - start;
		}
		return times;
	}

}
