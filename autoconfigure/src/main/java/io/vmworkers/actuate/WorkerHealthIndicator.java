package io.vmworkers.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import io.vmworkers.dispatch.ExitInfo;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.util.Assert;

/**
 * Health of one worker: UP when ready and its last heartbeat is recent, DOWN when it failed or
 * its heartbeat is stale, OUT_OF_SERVICE when stopping or stopped on request, UNKNOWN while it starts or
 * restarts. How its last process ended is a detail while it is not ready.
 */
public class WorkerHealthIndicator implements HealthIndicator {

	private final WorkerHandle worker;

	private final Duration heartbeatTimeout;

	private final Clock clock;

	/**
	 * Creates the indicator.
	 * @param worker the worker
	 * @param heartbeatTimeout how old the last heartbeat may be before the worker is DOWN
	 * @param clock the clock heartbeats are compared with
	 */
	public WorkerHealthIndicator(WorkerHandle worker, Duration heartbeatTimeout, Clock clock) {
		Assert.notNull(worker, "'worker' must not be null");
		Assert.notNull(heartbeatTimeout, "'heartbeatTimeout' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.worker = worker;
		this.heartbeatTimeout = heartbeatTimeout;
		this.clock = clock;
	}

	@Override
	public Health health() {
		Instant now = this.clock.instant();
		WorkerState state = this.worker.state();
		Health.Builder health = new Health.Builder().withDetail("state", state.name().toLowerCase(Locale.ROOT));
		switch (state) {
			case READY -> ready(health, now);
			case FAILED -> health.down();
			case STOPPING, STOPPED -> health.outOfService();
			// NEW, STARTING, and any state in which the worker is on its way back (restarting):
			// not DOWN, so that a supervised restart does not flap the application's health.
			default -> health.unknown();
		}
		ExitInfo exit = this.worker.lastExit();
		if (state != WorkerState.READY && exit != null && !exit.expected()) {
			health.withDetail("exit", exit.description());
		}
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
			health.down()
				.withDetail("reason", "no heartbeat for " + age + " ms, over the " + this.heartbeatTimeout.toMillis()
						+ " ms allowed (vmworkers.health.heartbeat-timeout, else the worker's heartbeat-timeout)");
		}
		else {
			health.up();
		}
	}

	private static long millisBetween(Instant from, Instant to) {
		return Math.max(0, Duration.between(from, to).toMillis());
	}

}
