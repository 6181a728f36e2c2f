package io.vmworkers.dispatch.master;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.Assert;

/**
 * Worker processes launched on the master before its dispatcher exists: as soon as the
 * {@code @WorkerTask} bean definitions are known, so that a worker's JVM starts while the master
 * creates its beans and web server instead of after them. {@link DefaultVmDispatcher#adopt} takes
 * them over; {@link #close()} kills and removes whatever nobody took, as when the context fails
 * before its dispatcher is created. They are launched from the same {@link LaunchPlan} as the
 * dispatcher, so it takes them as they are.
 */
public final class EarlyLaunches implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(EarlyLaunches.class);

	private final LaunchPlan plan;

	private final WorkerLauncher launcher;

	private final Map<String, Deque<Launch>> launches = new LinkedHashMap<>();

	/**
	 * Creates the early launches; nothing starts until {@link #launch()}.
	 * @param plan what to launch and how, which the dispatcher that adopts these launches is
	 * created with too
	 */
	public EarlyLaunches(LaunchPlan plan) {
		Assert.notNull(plan, "'plan' must not be null");
		this.plan = plan;
		this.launcher = new WorkerLauncher(plan, DefaultVmDispatcher::log);
	}

	/**
	 * Launches the processes of each worker's pool. A process that cannot be launched is skipped:
	 * the dispatcher launches it again and reports what went wrong.
	 */
	public synchronized void launch() {
		try {
			DefaultVmDispatcher.prepareChannelDirectories(this.plan);
		}
		catch (RuntimeException ex) {
			logger.debug("Workers not launched early; the dispatcher will launch them", ex);
			return;
		}
		this.plan.workers().forEach((name, worker) -> {
			Deque<Launch> launched = this.launches.computeIfAbsent(name, (key) -> new ArrayDeque<>());
			for (int i = 0; i < worker.pool().processes(); i++) {
				try {
					launched.add(this.launcher.start(name, worker.settings()));
				}
				catch (IOException | RuntimeException ex) {
					logger.debug("Worker '" + name + "' not launched early; the dispatcher will launch it", ex);
					return;
				}
			}
		});
	}

	/**
	 * Returns the plan these processes were launched from.
	 * @return the plan
	 */
	public LaunchPlan plan() {
		return this.plan;
	}

	/**
	 * Takes the processes launched for a worker.
	 * @param name the worker's name
	 * @return its launches, in the order of its places; empty when none was launched
	 */
	synchronized List<Launch> take(String name) {
		Deque<Launch> taken = this.launches.remove(name);
		return (taken != null) ? List.copyOf(taken) : List.of();
	}

	/** Kills and removes every launch that was not taken. */
	@Override
	public synchronized void close() {
		this.launches.values().forEach((launched) -> launched.forEach(Launch::discard));
		this.launches.clear();
	}

}
