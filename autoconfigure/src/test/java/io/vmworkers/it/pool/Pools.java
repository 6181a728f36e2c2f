package io.vmworkers.it.pool;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;

import io.vmworkers.dispatch.ReplicaHandle;
import io.vmworkers.dispatch.ReplicaRole;
import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;
import io.vmworkers.it.support.Workers;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts {@link PoolApplication} in the shape a test needs, and reads and awaits its pool.
 */
final class Pools {

	/** The worker's name: {@link PoolTask}'s bean name. */
	static final String NAME = "poolTask";

	/** Where its per-worker properties start. */
	static final String PREFIX = "vmworkers.workers." + NAME + ".";

	/** How long a pool may take to start or replace processes: JVM starts on a loaded machine. */
	static final Duration STARTS = Duration.ofSeconds(90);

	private Pools() {
	}

	/**
	 * Starts the application as a master with small worker JVMs.
	 * @param properties for example {@code PREFIX + "replicas=3"}
	 * @return the running context
	 */
	static ConfigurableApplicationContext start(String... properties) {
		return Workers.start(PoolApplication.class, properties);
	}

	static WorkerHandle handle(ConfigurableApplicationContext context) {
		return context.getBean(VmDispatcher.class).worker(NAME);
	}

	static ReplicaHandle place(WorkerHandle handle, int index) {
		return handle.replicas().get(index);
	}

	/**
	 * Returns the pids of the places with one role, in place order.
	 * @param handle the pool
	 * @param role replica or spare
	 * @return the pids
	 */
	static List<Long> pids(WorkerHandle handle, ReplicaRole role) {
		return handle.replicas().stream().filter((place) -> place.role() == role).map(ReplicaHandle::pid).toList();
	}

	/**
	 * Waits until the pool has exactly {@code replicas} replica places and {@code spares} spare
	 * places, replicas first, each ready with a live process of its own.
	 * @param handle the pool
	 * @param replicas how many replicas
	 * @param spares how many spares
	 * @return the pids of the replicas, in place order
	 */
	static List<Long> awaitReady(WorkerHandle handle, int replicas, int spares) {
		await().atMost(STARTS)
			.pollInterval(Duration.ofMillis(20))
			.until(() -> isReady(handle.replicas(), replicas, spares));
		return pids(handle, ReplicaRole.REPLICA);
	}

	private static boolean isReady(List<? extends ReplicaHandle> places, int replicas, int spares) {
		if (places.size() != replicas + spares) {
			return false;
		}
		HashSet<Long> pids = new HashSet<>();
		for (int i = 0; i < places.size(); i++) {
			ReplicaHandle place = places.get(i);
			ReplicaRole role = (i < replicas) ? ReplicaRole.REPLICA : ReplicaRole.SPARE;
			if (place.index() != i || place.role() != role || place.state() != WorkerState.READY
					|| !isAlive(place.pid()) || !pids.add(place.pid())) {
				return false;
			}
		}
		return true;
	}

	static boolean isAlive(long pid) {
		return pid > 0 && !Workers.hasExited(pid);
	}

	/**
	 * Waits until processes have exited.
	 * @param pids the processes
	 */
	static void awaitExited(Collection<Long> pids) {
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(pids).as("processes that should have exited")
				.allSatisfy((pid) -> assertThat(Workers.hasExited(pid)).as("pid %d exited", pid).isTrue()));
	}

}
