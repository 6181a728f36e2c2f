package io.vmworkers.actuate;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;

import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.util.Assert;

/**
 * The {@code vmworkers} health contributor: one {@link WorkerHealthIndicator} per worker (a pool
 * of processes is one entry, with a detail per process), named after it, read from the dispatcher
 * each time health is asked for.
 */
public class VmWorkersHealthContributor implements CompositeHealthContributor {

	private final VmDispatcher dispatcher;

	private final Function<String, Duration> heartbeatTimeouts;

	private final Clock clock;

	private final boolean downBelowReplicas;

	/**
	 * Creates the contributor with one threshold for every worker.
	 * @param dispatcher the workers
	 * @param heartbeatTimeout how old a worker's last heartbeat may be before it is DOWN
	 */
	public VmWorkersHealthContributor(VmDispatcher dispatcher, Duration heartbeatTimeout) {
		this(dispatcher, fixed(heartbeatTimeout), Clock.systemUTC());
	}

	/**
	 * Creates the contributor with a threshold per worker.
	 * @param dispatcher the workers
	 * @param heartbeatTimeouts how old a worker's last heartbeat may be before it is DOWN, by the
	 * worker's name
	 */
	public VmWorkersHealthContributor(VmDispatcher dispatcher, Function<String, Duration> heartbeatTimeouts) {
		this(dispatcher, heartbeatTimeouts, false);
	}

	/**
	 * Creates the contributor with a threshold per worker.
	 * @param dispatcher the workers
	 * @param heartbeatTimeouts how old a process's last heartbeat may be before it no longer
	 * serves, by the worker's name
	 * @param downBelowReplicas whether a worker is DOWN while fewer of its replicas serve than
	 * configured, rather than UP while at least one does
	 */
	public VmWorkersHealthContributor(VmDispatcher dispatcher, Function<String, Duration> heartbeatTimeouts,
			boolean downBelowReplicas) {
		this(dispatcher, heartbeatTimeouts, downBelowReplicas, Clock.systemUTC());
	}

	VmWorkersHealthContributor(VmDispatcher dispatcher, Function<String, Duration> heartbeatTimeouts, Clock clock) {
		this(dispatcher, heartbeatTimeouts, false, clock);
	}

	VmWorkersHealthContributor(VmDispatcher dispatcher, Function<String, Duration> heartbeatTimeouts,
			boolean downBelowReplicas, Clock clock) {
		Assert.notNull(dispatcher, "'dispatcher' must not be null");
		Assert.notNull(heartbeatTimeouts, "'heartbeatTimeouts' must not be null");
		this.dispatcher = dispatcher;
		this.heartbeatTimeouts = heartbeatTimeouts;
		this.downBelowReplicas = downBelowReplicas;
		this.clock = clock;
	}

	private static Function<String, Duration> fixed(Duration heartbeatTimeout) {
		Assert.notNull(heartbeatTimeout, "'heartbeatTimeout' must not be null");
		return (name) -> heartbeatTimeout;
	}

	@Override
	public HealthContributor getContributor(String name) {
		try {
			return indicator(this.dispatcher.worker(name));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	@Override
	public Stream<Entry> stream() {
		return this.dispatcher.workers().stream().map((worker) -> new Entry(worker.name(), indicator(worker)));
	}

	private WorkerHealthIndicator indicator(WorkerHandle worker) {
		return new WorkerHealthIndicator(worker, this.heartbeatTimeouts.apply(worker.name()), this.clock,
				this.downBelowReplicas);
	}

}
