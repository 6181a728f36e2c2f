package io.vmworkers.actuate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.vmworkers.dispatch.ChannelStatistics;
import io.vmworkers.dispatch.Heartbeat;
import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.util.Assert;

/**
 * Micrometer meters of every worker and its channel, tagged {@code worker} (and {@code direction}
 * {@code to-worker} or {@code from-worker} for the channel's). Counters are function counters
 * over the counts the channel keeps anyway; process gauges read the {@link WorkerSampler}'s
 * latest sample. Meters of a worker that is no longer in the dispatcher are removed at the next
 * sample, and all of them when the application context closes.
 */
public class ChannelMetrics implements MeterBinder, DisposableBean {

	/** Tag value of the master-to-worker ring. */
	public static final String TO_WORKER = "to-worker";

	/** Tag value of the worker-to-master ring. */
	public static final String FROM_WORKER = "from-worker";

	private final VmDispatcher dispatcher;

	private final WorkerSampler sampler;

	/** Meters by registry, then by worker name. */
	private final Map<MeterRegistry, Map<String, List<Meter>>> meters = new LinkedHashMap<>();

	/**
	 * Creates the binder.
	 * @param dispatcher the workers
	 * @param sampler their sampled process usage
	 */
	public ChannelMetrics(VmDispatcher dispatcher, WorkerSampler sampler) {
		Assert.notNull(dispatcher, "'dispatcher' must not be null");
		Assert.notNull(sampler, "'sampler' must not be null");
		this.dispatcher = dispatcher;
		this.sampler = sampler;
		sampler.addListener(this::refresh);
	}

	@Override
	public synchronized void bindTo(MeterRegistry registry) {
		this.meters.putIfAbsent(registry, new LinkedHashMap<>());
		refresh();
	}

	/**
	 * Registers meters for new workers and removes those of workers that are gone.
	 */
	public synchronized void refresh() {
		Set<String> names = new HashSet<>();
		for (WorkerHandle worker : this.dispatcher.workers()) {
			names.add(worker.name());
			this.meters.forEach((registry, byWorker) -> byWorker.computeIfAbsent(worker.name(),
					(name) -> register(registry, worker)));
		}
		this.meters.forEach((registry, byWorker) -> byWorker.entrySet().removeIf((entry) -> {
			if (names.contains(entry.getKey())) {
				return false;
			}
			entry.getValue().forEach(registry::remove);
			return true;
		}));
	}

	@Override
	public synchronized void destroy() {
		this.meters.forEach((registry, byWorker) -> byWorker.values().forEach((list) -> list.forEach(registry::remove)));
		this.meters.clear();
	}

	private List<Meter> register(MeterRegistry registry, WorkerHandle worker) {
		List<Meter> registered = new ArrayList<>();
		Tags tags = Tags.of("worker", worker.name());
		Tags toWorker = tags.and("direction", TO_WORKER);
		Tags fromWorker = tags.and("direction", FROM_WORKER);
		registered.add(counter(registry, "vmworkers.channel.messages", toWorker, worker, "messages",
				"Messages sent through the worker's channel", ChannelStatistics::messagesToWorker));
		registered.add(counter(registry, "vmworkers.channel.messages", fromWorker, worker, "messages",
				"Messages sent through the worker's channel", ChannelStatistics::messagesFromWorker));
		registered.add(counter(registry, "vmworkers.channel.bytes", toWorker, worker, BaseUnits.BYTES,
				"Payload bytes sent through the worker's channel", ChannelStatistics::bytesToWorker));
		registered.add(counter(registry, "vmworkers.channel.bytes", fromWorker, worker, BaseUnits.BYTES,
				"Payload bytes sent through the worker's channel", ChannelStatistics::bytesFromWorker));
		registered.add(gauge(registry, "vmworkers.channel.waiting", toWorker, worker, BaseUnits.BYTES,
				"Bytes written to the worker's ring and not yet read",
				(handle) -> handle.statistics().bytesWaitingToWorker()));
		registered.add(gauge(registry, "vmworkers.channel.waiting", fromWorker, worker, BaseUnits.BYTES,
				"Bytes written to the worker's ring and not yet read",
				(handle) -> handle.statistics().bytesWaitingFromWorker()));
		registered.add(gauge(registry, "vmworkers.channel.capacity", toWorker, worker, BaseUnits.BYTES,
				"Size of the worker's ring", (handle) -> handle.statistics().capacity()));
		registered.add(gauge(registry, "vmworkers.channel.capacity", fromWorker, worker, BaseUnits.BYTES,
				"Size of the worker's ring", (handle) -> handle.statistics().capacity()));
		registered.add(counter(registry, "vmworkers.calls.completed", tags, worker, "calls",
				"Calls of the worker's methods that returned or threw", ChannelStatistics::callsCompleted));
		registered.add(counter(registry, "vmworkers.calls.failed", tags, worker, "calls",
				"Calls of the worker's methods that threw, timed out or lost their worker",
				ChannelStatistics::callsFailed));
		registered.add(gauge(registry, "vmworkers.worker.up", tags, worker, null,
				"1 when the worker is ready, 0 otherwise", (handle) -> (handle.state() == WorkerState.READY) ? 1 : 0));
		registered.add(FunctionCounter.builder("vmworkers.worker.restarts", worker,
				(handle) -> Math.max(0, handle.startCount() - 1))
			.tags(tags)
			.baseUnit("restarts")
			.description("Processes started for the worker after its first")
			.register(registry));
		registered.add(TimeGauge
			.builder("vmworkers.worker.uptime", worker, TimeUnit.MILLISECONDS,
					ChannelMetrics::uptimeMillis)
			.tags(tags)
			.description("How long the worker's current process has run")
			.register(registry));
		registered.add(gauge(registry, "vmworkers.worker.heap.used", tags, worker, BaseUnits.BYTES,
				"Heap in use in the worker JVM, from its last heartbeat",
				(handle) -> heartbeat(handle, Heartbeat::heapUsed)));
		registered.add(gauge(registry, "vmworkers.worker.heap.max", tags, worker, BaseUnits.BYTES,
				"Heap limit of the worker JVM, from its last heartbeat",
				(handle) -> heartbeat(handle, Heartbeat::heapMax)));
		registered.add(gauge(registry, "vmworkers.worker.cpu.usage", tags, worker, null,
				"Recent CPU use of the worker process, as a fraction of all CPUs",
				(handle) -> running(handle, this.sampler.activity(handle.name()).cpuUsage())));
		registered.add(gauge(registry, "vmworkers.worker.memory.resident", tags, worker, BaseUnits.BYTES,
				"Resident memory of the worker process",
				(handle) -> running(handle, this.sampler.activity(handle.name()).residentBytes())));
		return registered;
	}

	private static FunctionCounter counter(MeterRegistry registry, String name, Tags tags, WorkerHandle worker,
			String unit, String description, ToDoubleFunction<ChannelStatistics> count) {
		return FunctionCounter.builder(name, worker, (handle) -> count.applyAsDouble(handle.statistics()))
			.tags(tags)
			.baseUnit(unit)
			.description(description)
			.register(registry);
	}

	private static Gauge gauge(MeterRegistry registry, String name, Tags tags, WorkerHandle worker, String unit,
			String description, ToDoubleFunction<WorkerHandle> value) {
		return Gauge.builder(name, worker, value).tags(tags).baseUnit(unit).description(description).register(registry);
	}

	private static double uptimeMillis(WorkerHandle worker) {
		if (worker.state() != WorkerState.READY || worker.startedAt() == null) {
			return 0;
		}
		return Math.max(0, System.currentTimeMillis() - worker.startedAt().toEpochMilli());
	}

	private static double heartbeat(WorkerHandle worker, ToDoubleFunction<Heartbeat> value) {
		Heartbeat heartbeat = worker.lastHeartbeat();
		if (heartbeat == null || worker.state() != WorkerState.READY) {
			return Double.NaN;
		}
		double result = value.applyAsDouble(heartbeat);
		return (result >= 0) ? result : Double.NaN;
	}

	private static double running(WorkerHandle worker, double value) {
		return (worker.state() == WorkerState.READY && value >= 0) ? value : Double.NaN;
	}

}
