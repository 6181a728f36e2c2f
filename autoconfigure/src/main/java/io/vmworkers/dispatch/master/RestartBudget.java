package io.vmworkers.dispatch.master;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

import io.vmworkers.dispatch.RestartPolicy;

/**
 * Whether, and after what back-off, a place whose process exited unexpectedly starts another: the
 * restart policy's intensity limit over the restarts it has made. Used under the pool's lock.
 */
final class RestartBudget {

	private final RestartPolicy policy;

	/** When unexpected exits were followed by restarts, newest last. */
	private final Deque<Long> restarts = new ArrayDeque<>();

	RestartBudget(RestartPolicy policy) {
		this.policy = policy;
	}

	/**
	 * Decides on a restart after an unexpected exit, and counts it.
	 * @param everReady whether a process of the place has been ready: start-up failures before
	 * that are not restarted
	 * @return the back-off, or null when the place is to stay failed
	 */
	Duration next(boolean everReady) {
		if (!this.policy.enabled() || !everReady) {
			return null;
		}
		long now = System.nanoTime();
		while (!this.restarts.isEmpty() && now - this.restarts.peekFirst() > this.policy.window().toNanos()) {
			this.restarts.removeFirst();
		}
		if (this.restarts.size() >= this.policy.maxRestarts()) {
			return null;
		}
		Duration delay = this.policy.backoff(this.restarts.size());
		this.restarts.addLast(now);
		return delay;
	}

	/**
	 * Says why {@link #next} refused a restart.
	 * @param everReady as given to {@link #next}
	 * @return the reason, naming the property that decides it
	 */
	String refusal(boolean everReady) {
		if (!this.policy.enabled()) {
			return "vmworkers.restart.mode=never";
		}
		if (!everReady) {
			return "it never became ready";
		}
		return this.policy.maxRestarts() + " restarts within " + this.policy.window()
				+ " already (vmworkers.restart.max-restarts, vmworkers.restart.window)";
	}

	/** Forgets the restarts made: a restart on request starts the count again. */
	void reset() {
		this.restarts.clear();
	}

}
