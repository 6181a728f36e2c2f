package io.vmworkers.dispatch;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

	private final Map<String, Launch> launches = new LinkedHashMap<>();

	/**
	 * Creates the early launches; nothing starts until {@link #launch(Map)}.
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
	 * Launches a process for each worker. A worker that cannot be launched is skipped: the
	 * dispatcher launches it again and reports what went wrong.
	 * @param workers each worker's settings, by name
	 */
	public synchronized void launch(Map<String, WorkerSettings> workers) {
		try {
			DefaultVmDispatcher.prepareChannelDirectories(workers.values());
		}
		catch (RuntimeException ex) {
			logger.debug("Workers not launched early; the dispatcher will launch them", ex);
			return;
		}
		workers.forEach((name, settings) -> {
			try {
				this.launches.put(name, Launch.start(name, settings, this.launcher));
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Worker '" + name + "' not launched early; the dispatcher will launch it", ex);
			}
		});
	}

	synchronized Launch take(String name) {
		return this.launches.remove(name);
	}

	WorkerLauncher launcher() {
		return this.launcher;
	}

	/** Kills and removes every launch that was not taken. */
	@Override
	public synchronized void close() {
		this.launches.values().forEach(Launch::discard);
		this.launches.clear();
	}

}
