package io.vmworkers.actuate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.vmworkers.dispatch.WorkerObserver;

/**
 * Times every call of a worker method with a Micrometer {@link Timer}
 * ({@code vmworkers.call.duration}, tags {@code worker}, {@code method}, {@code outcome}) that
 * publishes a percentile histogram. Opt-in ({@code vmworkers.metrics.call-latency.enabled}):
 * it adds a timer update to every call. Calls that end before a registry is bound are not timed.
 */
public class CallLatencyMetrics implements WorkerObserver, MeterBinder {

	/** The timer's name. */
	public static final String METER_NAME = "vmworkers.call.duration";

	private volatile MeterRegistry registry;

	/** Timers of the bound registry by worker and method, so that timing a call allocates nothing. */
	private final Map<String, Map<String, Timer>> successes = new ConcurrentHashMap<>();

	private final Map<String, Map<String, Timer>> failures = new ConcurrentHashMap<>();

	@Override
	public void bindTo(MeterRegistry registry) {
		this.successes.clear();
		this.failures.clear();
		this.registry = registry;
	}

	@Override
	public void callCompleted(String worker, String method, long nanos, boolean failed) {
		MeterRegistry current = this.registry;
		if (current == null) {
			return;
		}
		timer(current, failed ? this.failures : this.successes, worker, method, failed).record(nanos,
				TimeUnit.NANOSECONDS);
	}

	private static Timer timer(MeterRegistry registry, Map<String, Map<String, Timer>> timers, String worker,
			String method, boolean failed) {
		Map<String, Timer> byMethod = timers.get(worker);
		if (byMethod == null) {
			byMethod = timers.computeIfAbsent(worker, (name) -> new ConcurrentHashMap<>());
		}
		Timer timer = byMethod.get(method);
		if (timer == null) {
			timer = byMethod.computeIfAbsent(method, (name) -> register(registry, worker, name, failed));
		}
		return timer;
	}

	private static Timer register(MeterRegistry registry, String worker, String method, boolean failed) {
		return Timer.builder(METER_NAME)
			.description("Duration of calls of worker methods, from sending the call to its answer")
			.tag("worker", worker)
			.tag("method", method)
			.tag("outcome", failed ? "failure" : "success")
			.publishPercentileHistogram()
			.register(registry);
	}

}
