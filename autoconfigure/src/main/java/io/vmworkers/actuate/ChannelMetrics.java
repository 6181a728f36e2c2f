package io.vmworkers.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
import io.vmworkers.dispatch.ReplicaHandle;
import io.vmworkers.dispatch.ReplicaRole;
import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.util.Assert;

/**
 * Micrometer meters of every worker and its channel, tagged {@code worker} (and {@code direction}
 * {@code to-worker} or {@code from-worker} for the channel's). Counters are function counters
 * over the counts the channel keeps anyway; process gauges read the {@link WorkerSampler}'s
 * latest sample. The {@code vmworkers.worker.*} and channel meters describe a worker's pool as a
 * whole (process figures summed over its running processes); the {@code vmworkers.replica.*}
 * meters, tagged also {@code replica} (the place's index) and {@code role} ({@code replica} or
 * {@code spare}), describe each place of it, so that summing them by {@code worker} gives the
 * pool's. Meters of a worker or place that is no longer in the dispatcher are removed at the next
 * sample, and all of them when the application context closes.
 */
public class ChannelMetrics implements MeterBinder, DisposableBean {

	/** Tag value of the master-to-worker ring. */
	public static final String TO_WORKER = "to-worker";

	/** Tag value of the worker-to-master ring. */
	public static final String FROM_WORKER = "from-worker";

	/** Tag value of a place that serves calls. */
	public static final String REPLICA = "replica";

	/** Tag value of a place kept ready to take a replica's place. */
	public static final String SPARE = "spare";

	private final VmDispatcher dispatcher;

	private final WorkerSampler sampler;

	/** Meters by registry, then by worker name. */
	private final Map<MeterRegistry, Map<String, WorkerMeters>> meters = new LinkedHashMap<>();

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
	 * Registers meters for new workers and places, and removes those of workers and places that
	 * are gone.
	 */
	public synchronized void refresh() {
		Set<String> names = new HashSet<>();
		for (WorkerHandle worker : this.dispatcher.workers()) {
			names.add(worker.name());
			List<? extends ReplicaHandle> places = worker.replicas();
			this.meters.forEach((registry, byWorker) -> byWorker
				.computeIfAbsent(worker.name(), (name) -> new WorkerMeters(register(registry, worker)))
				.refresh(registry, places, (place) -> register(registry, worker, place)));
		}
		this.meters.forEach((registry, byWorker) -> byWorker.entrySet().removeIf((entry) -> {
			if (names.contains(entry.getKey())) {
				return false;
			}
			entry.getValue().remove(registry);
			return true;
		}));
	}

	@Override
	public synchronized void destroy() {
		this.meters.forEach((registry, byWorker) -> byWorker.values().forEach((meters) -> meters.remove(registry)));
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
		registered.add(counter(registry, "vmworkers.channel.wakeups", toWorker, worker, "wakeups",
				"Times the master woke the worker from its sleep to read what it sent (vmworkers.workers.<name>.idle)",
				ChannelStatistics::wakeUpsOfWorker));
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
		registered.add(FunctionCounter.builder("vmworkers.worker.restarts", worker, PoolFigures::restarts)
			.tags(tags)
			.baseUnit("restarts")
			.description("Processes started for the worker after its first (one per place of its pool)")
			.register(registry));
		registered.add(TimeGauge
			.builder("vmworkers.worker.uptime", worker, TimeUnit.MILLISECONDS,
					ChannelMetrics::uptimeMillis)
			.tags(tags)
			.description("How long the worker's current process has run")
			.register(registry));
		registered.add(gauge(registry, "vmworkers.worker.heap.used", tags, worker, BaseUnits.BYTES,
				"Heap in use in the worker JVMs, from their last heartbeats",
				(handle) -> heartbeat(handle.state(), PoolFigures.heap(handle), Heartbeat::heapUsed)));
		registered.add(gauge(registry, "vmworkers.worker.heap.max", tags, worker, BaseUnits.BYTES,
				"Heap limit of the worker JVMs, from their last heartbeats",
				(handle) -> heartbeat(handle.state(), PoolFigures.heap(handle), Heartbeat::heapMax)));
		registered.add(gauge(registry, "vmworkers.worker.cpu.usage", tags, worker, null,
				"Recent CPU use of the worker processes, as a fraction of all CPUs",
				(handle) -> running(handle.state(), this.sampler.activity(handle.name()).cpuUsage())));
		registered.add(gauge(registry, "vmworkers.worker.memory.resident", tags, worker, BaseUnits.BYTES,
				"Resident memory of the worker processes",
				(handle) -> running(handle.state(), this.sampler.activity(handle.name()).residentBytes())));
		return registered;
	}

	/**
	 * Registers the meters of one place of a worker's pool. They hold the worker, which the
	 * dispatcher holds, and find the place by its index at each read.
	 */
	private List<Meter> register(MeterRegistry registry, WorkerHandle worker, ReplicaHandle place) {
		List<Meter> registered = new ArrayList<>();
		int index = place.index();
		Tags tags = Tags.of("worker", worker.name(), "replica", Integer.toString(index), "role",
				(place.role() == ReplicaRole.SPARE) ? SPARE : REPLICA);
		registered.add(gauge(registry, "vmworkers.replica.up", tags, worker, null,
				"1 when the process in this place of the worker's pool is ready, 0 otherwise",
				(handle) -> replica(handle, index, (found) -> (found.state() == WorkerState.READY) ? 1 : 0)));
		registered.add(TimeGauge
			.builder("vmworkers.replica.heartbeat.age", worker, TimeUnit.MILLISECONDS,
					(handle) -> replica(handle, index, ChannelMetrics::heartbeatAgeMillis))
			.tags(tags)
			.description("How long ago the last heartbeat of the process in this place arrived")
			.register(registry));
		registered.add(gauge(registry, "vmworkers.replica.heap.used", tags, worker, BaseUnits.BYTES,
				"Heap in use in the JVM in this place, from its last heartbeat",
				(handle) -> replica(handle, index,
						(found) -> heartbeat(found.state(), found.lastHeartbeat(), Heartbeat::heapUsed))));
		registered.add(gauge(registry, "vmworkers.replica.heap.max", tags, worker, BaseUnits.BYTES,
				"Heap limit of the JVM in this place, from its last heartbeat",
				(handle) -> replica(handle, index,
						(found) -> heartbeat(found.state(), found.lastHeartbeat(), Heartbeat::heapMax))));
		registered.add(gauge(registry, "vmworkers.replica.cpu.usage", tags, worker, null,
				"Recent CPU use of the process in this place, as a fraction of all CPUs",
				(handle) -> replica(handle, index,
						(found) -> running(found.state(), this.sampler.activity(handle.name(), index).cpuUsage()))));
		registered.add(gauge(registry, "vmworkers.replica.memory.resident", tags, worker, BaseUnits.BYTES,
				"Resident memory of the process in this place",
				(handle) -> replica(handle, index, (found) -> running(found.state(),
						this.sampler.activity(handle.name(), index).residentBytes()))));
		registered.add(gauge(registry, "vmworkers.replica.channel.waiting", tags.and("direction", TO_WORKER), worker,
				BaseUnits.BYTES, "Bytes written to this place's ring and not yet read",
				(handle) -> replica(handle, index, (found) -> found.statistics().bytesWaitingToWorker())));
		registered.add(gauge(registry, "vmworkers.replica.channel.waiting", tags.and("direction", FROM_WORKER),
				worker, BaseUnits.BYTES, "Bytes written to this place's ring and not yet read",
				(handle) -> replica(handle, index, (found) -> found.statistics().bytesWaitingFromWorker())));
		registered.add(gauge(registry, "vmworkers.replica.calls.active", tags, worker, "calls",
				"Calls sent to the process in this place and not yet answered",
				(handle) -> replica(handle, index, ReplicaHandle::callsInFlight)));
		registered.add(FunctionCounter
			.builder("vmworkers.replica.calls.completed", worker,
					(handle) -> replica(handle, index, (found) -> found.statistics().callsCompleted()))
			.tags(tags)
			.baseUnit("calls")
			.description("Calls sent to this place that returned or threw")
			.register(registry));
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

	private static double heartbeat(WorkerState state, Heartbeat heartbeat, ToDoubleFunction<Heartbeat> value) {
		if (heartbeat == null || state != WorkerState.READY) {
			return Double.NaN;
		}
		double result = value.applyAsDouble(heartbeat);
		return (result >= 0) ? result : Double.NaN;
	}

	private static double running(WorkerState state, double value) {
		return (state == WorkerState.READY && value >= 0) ? value : Double.NaN;
	}

	private static double heartbeatAgeMillis(ReplicaHandle place) {
		Duration age = place.heartbeatAge();
		return (age != null && place.state() == WorkerState.READY) ? age.toMillis() : Double.NaN;
	}

	/** A figure of the place with this index, NaN once the pool has no such place. */
	private static double replica(WorkerHandle worker, int index, ToDoubleFunction<ReplicaHandle> value) {
		ReplicaHandle place = PoolFigures.place(worker, index);
		return (place != null) ? value.applyAsDouble(place) : Double.NaN;
	}

	/** The meters of one worker: its own, and those of each place of its pool by index. */
	private static final class WorkerMeters {

		private final List<Meter> worker;

		private final Map<Integer, List<Meter>> places = new LinkedHashMap<>();

		WorkerMeters(List<Meter> worker) {
			this.worker = worker;
		}

		WorkerMeters refresh(MeterRegistry registry, List<? extends ReplicaHandle> current,
				Function<ReplicaHandle, List<Meter>> register) {
			Set<Integer> indexes = new HashSet<>();
			for (ReplicaHandle place : current) {
				indexes.add(place.index());
				this.places.computeIfAbsent(place.index(), (index) -> register.apply(place));
			}
			this.places.entrySet().removeIf((entry) -> {
				if (indexes.contains(entry.getKey())) {
					return false;
				}
				entry.getValue().forEach(registry::remove);
				return true;
			});
			return this;
		}

		void remove(MeterRegistry registry) {
			this.worker.forEach(registry::remove);
			this.places.values().forEach((meters) -> meters.forEach(registry::remove));
		}

	}

}
