package io.vmworkers.dispatch;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When and how fast a worker that exits unexpectedly is started again: exponential back-off with
 * jitter, up to an intensity limit (at most {@code maxRestarts} in {@code window}), after which
 * the worker is left {@link WorkerState#FAILED}.
 * @param enabled false for never
 * @param initialBackoff the delay before the first restart
 * @param maxBackoff the longest delay
 * @param maxRestarts how many restarts the window allows
 * @param window the period over which restarts are counted; a worker that stays up this long
 * starts again from the initial back-off
 * @param jitter the fraction by which a delay varies at random, 0 to 1
 */
public record RestartPolicy(boolean enabled, Duration initialBackoff, Duration maxBackoff, int maxRestarts,
		Duration window, double jitter) {

	/** The default: 100 ms doubling to 30 s, at most 5 restarts in 60 s, 20 % jitter. */
	public static final RestartPolicy DEFAULT = new RestartPolicy(true, Duration.ofMillis(100), Duration.ofSeconds(30),
			5, Duration.ofSeconds(60), 0.2);

	/** Never restart. */
	public static final RestartPolicy NEVER = new RestartPolicy(false, Duration.ZERO, Duration.ZERO, 0,
			Duration.ZERO, 0);

	/**
	 * Returns the delay before a restart.
	 * @param recentRestarts restarts within the window so far
	 * @return the delay, with jitter
	 */
	public Duration backoff(int recentRestarts) {
		double base = this.initialBackoff.toNanos() * Math.pow(2, Math.min(recentRestarts, 30));
		double capped = Math.min(base, this.maxBackoff.toNanos());
		double factor = 1 + this.jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
		return Duration.ofNanos((long) Math.max(0, capped * factor));
	}

}
