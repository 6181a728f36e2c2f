package io.vmworkers.dispatch.master;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vmworkers.dispatch.PoolSettings;
import io.vmworkers.dispatch.WorkerSettings;
import io.vmworkers.process.ClassDataSharing;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Worker processes launched on the master before its dispatcher exists: as soon as the
 * {@code @WorkerTask} bean definitions are known, so that a worker's JVM starts while the master
 * creates its beans and web server instead of after them. {@link DefaultVmDispatcher#adopt} takes
 * them over; {@link #close()} kills and removes whatever nobody took, as when the context fails
 * before its dispatcher is created.
 */
public final class EarlyLaunches implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(EarlyLaunches.class);

	private final WorkerLauncher launcher;

	private final Map<String, Deque<Launch>> launches = new LinkedHashMap<>();

	/**
	 * Creates the early launches; nothing starts until {@link #launch(Map, Map)}.
	 * @param applicationClass the {@code @SpringBootConfiguration} class workers run
	 * @param tasks the task classes by worker name
	 * @param packages the application's auto-configuration packages
	 * @param arguments the master's command-line arguments, passed to workers
	 * @param activeProfiles the master's active profiles, passed to workers
	 * @param classDataSharing the workers' warm start, or null to start them without
	 */
	public EarlyLaunches(String applicationClass, Map<String, Class<?>> tasks, List<String> packages,
			List<String> arguments, List<String> activeProfiles, ClassDataSharing classDataSharing) {
		this.launcher = new WorkerLauncher(applicationClass, DefaultVmDispatcher.taskClassNames(tasks), packages,
				arguments, activeProfiles, DefaultVmDispatcher::log, classDataSharing);
	}

	/**
	 * Launches the processes of each worker's pool. A process that cannot be launched is skipped:
	 * the dispatcher launches it again and reports what went wrong.
	 * @param workers each worker's settings, by name
	 * @param pools each worker's pool, by name
	 */
	public synchronized void launch(Map<String, WorkerSettings> workers, Map<String, PoolSettings> pools) {
		try {
			DefaultVmDispatcher.prepareChannelDirectories(workers, pools);
		}
		catch (RuntimeException ex) {
			logger.debug("Workers not launched early; the dispatcher will launch them", ex);
			return;
		}
		workers.forEach((name, settings) -> {
			Deque<Launch> launched = this.launches.computeIfAbsent(name, (key) -> new ArrayDeque<>());
			for (int i = 0; i < pools.get(name).processes(); i++) {
				try {
					launched.add(Launch.start(name, settings, this.launcher));
				}
				catch (IOException | RuntimeException ex) {
					logger.debug("Worker '" + name + "' not launched early; the dispatcher will launch it", ex);
					return;
				}
			}
		});
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

	WorkerLauncher launcher() {
		return this.launcher;
	}

	/** Kills and removes every launch that was not taken. */
	@Override
	public synchronized void close() {
		this.launches.values().forEach((launched) -> launched.forEach(Launch::discard));
		this.launches.clear();
	}

}
