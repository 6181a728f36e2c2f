package io.vmworkers.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.vmworkers.dispatch.ExitInfo;
import io.vmworkers.dispatch.ReplicaHandle;
import io.vmworkers.dispatch.ReplicaRole;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.util.Assert;

/**
 * Health of one worker: UP when ready and its last heartbeat is recent, DOWN when it failed or
 * its heartbeat is stale, OUT_OF_SERVICE when stopping or stopped on request, UNKNOWN while it starts or
 * restarts. How its last process ended is a detail while it is not ready.
 * <p>
 * A pool of two or more processes is UP while at least one replica serves (ready, with a recent
 * heartbeat); spares do not count. Details say how many serve of how many replicas, and describe
 * each process. With {@code downBelowReplicas}, a worker with fewer serving replicas than
 * configured is DOWN, unless it is stopping or stopped on request.
 */
public class WorkerHealthIndicator implements HealthIndicator {

	private static final String DOWN_BELOW_REPLICAS = "vmworkers.health.down-below-replicas=true";

	private final WorkerHandle worker;

	private final Duration heartbeatTimeout;

	private final Clock clock;

	private final boolean downBelowReplicas;

	/**
	 * Creates the indicator, UP while at least one replica serves.
	 * @param worker the worker
	 * @param heartbeatTimeout how old the last heartbeat may be before the worker is DOWN
	 * @param clock the clock heartbeats are compared with
	 */
	public WorkerHealthIndicator(WorkerHandle worker, Duration heartbeatTimeout, Clock clock) {
		this(worker, heartbeatTimeout, clock, false);
	}

	/**
	 * Creates the indicator.
	 * @param worker the worker
	 * @param heartbeatTimeout how old a process's last heartbeat may be before it no longer serves
	 * @param clock the clock heartbeats are compared with
	 * @param downBelowReplicas whether the worker is DOWN while fewer replicas serve than configured,
	 * rather than UP while at least one does
	 */
	public WorkerHealthIndicator(WorkerHandle worker, Duration heartbeatTimeout, Clock clock,
			boolean downBelowReplicas) {
		Assert.notNull(worker, "'worker' must not be null");
		Assert.notNull(heartbeatTimeout, "'heartbeatTimeout' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.worker = worker;
		this.heartbeatTimeout = heartbeatTimeout;
		this.clock = clock;
		this.downBelowReplicas = downBelowReplicas;
	}

	@Override
	public Health health() {
		List<? extends ReplicaHandle> places = this.worker.replicas();
		return (places.size() > 1) ? pool(places) : single();
	}

	private Health single() {
		Instant now = this.clock.instant();
		WorkerState state = this.worker.state();
		Health.Builder health = new Health.Builder().withDetail("state", PoolFigures.name(state));
		switch (state) {
			case READY -> ready(health, now);
			case FAILED -> health.down();
			case STOPPING, STOPPED -> health.outOfService();
			// NEW, STARTING, and any state in which the worker is on its way back (restarting):
			// not DOWN, so that a supervised restart does not flap the application's health.
			default -> notServing(health, 1);
		}
		exit(health, state, this.worker.lastExit());
		return health.build();
	}

	private void ready(Health.Builder health, Instant now) {
		Instant startedAt = this.worker.startedAt();
		Duration heartbeatAge = this.worker.heartbeatAge();
		health.withDetail("pid", this.worker.pid());
		if (startedAt != null) {
			health.withDetail("uptimeMillis", millisBetween(startedAt, now));
		}
		if (heartbeatAge == null) {
			// Ready, and its first heartbeat is under way (the handle does not say since when it
			// is ready; start-up itself may have taken seconds).
			health.up();
			return;
		}
		long age = heartbeatAge.toMillis();
		health.withDetail("heartbeatAgeMillis", age);
		if (age > this.heartbeatTimeout.toMillis()) {
			health.down().withDetail("reason", stale(age));
		}
		else {
			health.up();
		}
	}

	private Health pool(List<? extends ReplicaHandle> places) {
		WorkerState state = this.worker.state();
		int replicas = PoolFigures.replicas(places);
		int serving = 0;
		List<Map<String, Object>> processes = new ArrayList<>();
		for (ReplicaHandle place : places) {
			if (place.role() == ReplicaRole.REPLICA && serves(place)) {
				serving++;
			}
			processes.add(describe(place));
		}
		Health.Builder health = new Health.Builder().withDetail("state", PoolFigures.name(state))
			.withDetail("serving", serving)
			.withDetail("replicas", replicas)
			.withDetail("spares", places.size() - replicas);
		if (serving > 0) {
			if (this.downBelowReplicas && serving < replicas) {
				health.down()
					.withDetail("reason", serving + " of " + replicas + " replicas serve (" + DOWN_BELOW_REPLICAS + ")");
			}
			else {
				health.up();
			}
		}
		else {
			switch (state) {
				case READY -> health.down()
					.withDetail("reason", "no replica serves: none is ready with a heartbeat at most "
							+ this.heartbeatTimeout.toMillis() + " ms old (vmworkers.health.heartbeat-timeout, "
							+ "else the worker's heartbeat-timeout)");
				case FAILED -> health.down();
				case STOPPING, STOPPED -> health.outOfService();
				default -> notServing(health, replicas);
			}
		}
		exit(health, state, this.worker.lastExit());
		return health.withDetail("processes", processes).build();
	}

	/** A replica serves when ready and its last heartbeat, if it has sent one yet, is recent. */
	private boolean serves(ReplicaHandle place) {
		if (place.state() != WorkerState.READY) {
			return false;
		}
		Duration heartbeatAge = place.heartbeatAge();
		return heartbeatAge == null || heartbeatAge.toMillis() <= this.heartbeatTimeout.toMillis();
	}

	private static Map<String, Object> describe(ReplicaHandle place) {
		WorkerState state = place.state();
		boolean running = WorkerSampler.running(state);
		Map<String, Object> process = new LinkedHashMap<>();
		process.put("index", place.index());
		process.put("role", place.role().name().toLowerCase(Locale.ROOT));
		process.put("state", PoolFigures.name(state));
		process.put("pid", running ? place.pid() : -1);
		Duration heartbeatAge = place.heartbeatAge();
		if (running && heartbeatAge != null) {
			process.put("heartbeatAgeMillis", heartbeatAge.toMillis());
		}
		ExitInfo exit = place.lastExit();
		if (state != WorkerState.READY && exit != null && !exit.expected()) {
			process.put("exit", exit.description());
		}
		return process;
	}

	/** Starting or on its way back: UNKNOWN, unless the user asked for DOWN below the replicas. */
	private void notServing(Health.Builder health, int replicas) {
		if (this.downBelowReplicas) {
			health.down().withDetail("reason", "0 of " + replicas + " replicas serve (" + DOWN_BELOW_REPLICAS + ")");
		}
		else {
			health.unknown();
		}
	}

	private String stale(long age) {
		return "no heartbeat for " + age + " ms, over the " + this.heartbeatTimeout.toMillis()
				+ " ms allowed (vmworkers.health.heartbeat-timeout, else the worker's heartbeat-timeout)";
	}

	private static void exit(Health.Builder health, WorkerState state, ExitInfo exit) {
		if (state != WorkerState.READY && exit != null && !exit.expected()) {
			health.withDetail("exit", exit.description());
		}
	}

	private static long millisBetween(Instant from, Instant to) {
		return Math.max(0, Duration.between(from, to).toMillis());
	}

}
