package io.vmworkers.dispatch;

import java.time.Duration;

import io.vmworkers.annotation.WorkerTask;

import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * The shape of a worker's pool.
 * @param replicas processes serving calls, at least 1
 * @param spares processes kept ready to take a replica's place, at least 0
 * @param recycle when a healthy process is replaced
 */
public record PoolSettings(int replicas, int spares, Recycle recycle) {

	/** One replica, no spare, never recycled. */
	public static final PoolSettings SINGLE = new PoolSettings(1, 0, Recycle.NEVER);

	public PoolSettings {
		if (replicas < 1) {
			throw new IllegalArgumentException("a worker needs at least 1 replica, not " + replicas);
		}
		if (spares < 0) {
			throw new IllegalArgumentException("a worker's spares cannot be negative: " + spares);
		}
	}

	/**
	 * Returns the replicas a task class asks for with {@code @WorkerTask(replicas)}.
	 * @param taskClass the task class
	 * @return the replica count, 1 when it does not say
	 */
	public static int annotatedReplicas(Class<?> taskClass) {
		WorkerTask task = AnnotatedElementUtils.findMergedAnnotation(taskClass, WorkerTask.class);
		return (task != null) ? task.replicas() : 1;
	}

	/**
	 * Returns how many processes the pool runs.
	 * @return replicas plus spares
	 */
	public int processes() {
		return this.replicas + this.spares;
	}

	/**
	 * When a healthy process is replaced (drained, then stopped once its replacement serves); a
	 * zero limit is off.
	 * @param maxCalls calls answered by one process
	 * @param maxHeapUsed bytes of heap in use after a collection, as its heartbeat reports
	 * @param maxAge time since the process became ready
	 */
	public record Recycle(long maxCalls, long maxHeapUsed, Duration maxAge) {

		/** Never recycle. */
		public static final Recycle NEVER = new Recycle(0, 0, Duration.ZERO);

		public Recycle {
			if (maxCalls < 0 || maxHeapUsed < 0 || maxAge.isNegative()) {
				throw new IllegalArgumentException("recycle limits cannot be negative");
			}
		}

		/**
		 * Returns whether any limit is set.
		 * @return true when processes are recycled
		 */
		public boolean enabled() {
			return this.maxCalls > 0 || this.maxHeapUsed > 0 || !this.maxAge.isZero();
		}

	}

}
