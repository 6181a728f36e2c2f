package io.vmworkers.dispatch.master;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vmworkers.channel.RingDescriptor;
import io.vmworkers.dispatch.PoolSettings;
import io.vmworkers.dispatch.WorkerSettings;
import io.vmworkers.process.ClassDataSharing;

import org.springframework.util.Assert;

/**
 * How the master launches its workers, decided once at start-up with every setting merged and
 * checked: the early launches and the dispatcher launch from the same plan, so a process launched
 * early is adopted as it is.
 * @param applicationClass the {@code @SpringBootConfiguration} class workers run; empty when there
 * is no worker
 * @param packages the application's auto-configuration packages, passed to workers with a task
 * context
 * @param arguments the master's command-line arguments, passed to workers
 * @param activeProfiles the master's active profiles, passed to workers
 * @param classDataSharing the workers' warm start, or null to start them without
 * @param workers each worker's plan, by worker (bean) name, in definition order
 * @param tcp where workers on the TCP transport connect to
 */
public record LaunchPlan(String applicationClass, List<String> packages, List<String> arguments,
		List<String> activeProfiles, ClassDataSharing classDataSharing, Map<String, Worker> workers,
		TcpWorkerListener tcp) {

	/**
	 * A plan whose workers on the TCP transport connect to a free port of the loopback address.
	 * @param applicationClass the {@code @SpringBootConfiguration} class workers run
	 * @param packages the application's auto-configuration packages
	 * @param arguments the master's command-line arguments
	 * @param activeProfiles the master's active profiles
	 * @param classDataSharing the workers' warm start, or null
	 * @param workers each worker's plan
	 */
	public LaunchPlan(String applicationClass, List<String> packages, List<String> arguments,
			List<String> activeProfiles, ClassDataSharing classDataSharing, Map<String, Worker> workers) {
		this(applicationClass, packages, arguments, activeProfiles, classDataSharing, workers,
				TcpWorkerListener.loopback());
	}

	public LaunchPlan {
		Assert.notNull(applicationClass, "'applicationClass' must not be null");
		Assert.notNull(tcp, "'tcp' must not be null");
		packages = List.copyOf(packages);
		arguments = List.copyOf(arguments);
		activeProfiles = List.copyOf(activeProfiles);
		workers = Collections.unmodifiableMap(new LinkedHashMap<>(workers));
	}

	/**
	 * Returns the plan of one worker.
	 * @param name the worker's name
	 * @return its plan
	 * @throws IllegalArgumentException when the plan has no such worker
	 */
	public Worker worker(String name) {
		Worker worker = this.workers.get(name);
		if (worker == null) {
			throw new IllegalArgumentException("no worker named '" + name + "'; workers: " + this.workers.keySet());
		}
		return worker;
	}

	/**
	 * One worker's part of the plan.
	 * @param taskClass its {@code @WorkerTask} class
	 * @param settings its settings, the global ones with its overrides applied
	 * @param pool the shape of its pool
	 */
	public record Worker(Class<?> taskClass, WorkerSettings settings, PoolSettings pool) {

		public Worker {
			Assert.notNull(taskClass, "'taskClass' must not be null");
			Assert.notNull(settings, "'settings' must not be null");
			Assert.notNull(pool, "'pool' must not be null");
		}

		/**
		 * Returns the size of the ring files this worker needs on shared memory: two rings per process.
		 * @return the bytes
		 */
		public long ringBytes() {
			return 2 * RingDescriptor.fileLength(this.settings.capacity()) * this.pool.processes();
		}

	}

}
