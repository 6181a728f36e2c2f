package io.vmworkers.actuate;

import java.util.List;
import java.util.Locale;

import io.vmworkers.dispatch.Heartbeat;
import io.vmworkers.dispatch.ReplicaHandle;
import io.vmworkers.dispatch.ReplicaRole;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;

/**
 * Figures of a worker's pool as a whole that its handle does not give, computed the same way for
 * the endpoint, the meters and health.
 */
final class PoolFigures {

	private PoolFigures() {
	}

	/**
	 * Returns the pool's heap: the sum over its running processes (replicas and spares) of their
	 * last heartbeats; a handle that describes no place gives its own.
	 * @param worker the worker
	 * @return the summed heartbeat, with -1 for a figure that one of them lacks, or null when no
	 * running process has sent one
	 */
	static Heartbeat heap(WorkerHandle worker) {
		List<? extends ReplicaHandle> places = worker.replicas();
		if (places.isEmpty()) {
			return worker.lastHeartbeat();
		}
		Heartbeat sum = null;
		for (ReplicaHandle place : places) {
			Heartbeat heartbeat = WorkerSampler.running(place.state()) ? place.lastHeartbeat() : null;
			if (heartbeat == null) {
				continue;
			}
			sum = (sum != null) ? new Heartbeat(sum.heapUsed() + heartbeat.heapUsed(),
					add(sum.heapMax(), heartbeat.heapMax()),
					add(sum.heapUsedAfterCollection(), heartbeat.heapUsedAfterCollection())) : heartbeat;
		}
		return sum;
	}

	private static long add(long a, long b) {
		return (a < 0 || b < 0) ? -1 : a + b;
	}

	/**
	 * Returns how many processes were started for a worker after its pool's first ones.
	 * @param worker the worker
	 * @return its start count less one per place, at least 0
	 */
	static int restarts(WorkerHandle worker) {
		return Math.max(0, worker.startCount() - Math.max(1, worker.replicas().size()));
	}

	/**
	 * Returns how many places of a pool have the role {@link ReplicaRole#REPLICA}: the replicas it
	 * is configured with.
	 * @param places the pool's places
	 * @return the count
	 */
	static int replicas(List<? extends ReplicaHandle> places) {
		return (int) places.stream().filter((place) -> place.role() == ReplicaRole.REPLICA).count();
	}

	/**
	 * Returns calls sent to a pool's processes and not yet answered.
	 * @param worker the worker
	 * @return the sum over its places
	 */
	static int callsInFlight(WorkerHandle worker) {
		return worker.replicas().stream().mapToInt(ReplicaHandle::callsInFlight).sum();
	}

	/**
	 * Returns the place of a pool with an index.
	 * @param worker the worker
	 * @param index the place's index
	 * @return the place, or null when the pool has none with that index (any more)
	 */
	static ReplicaHandle place(WorkerHandle worker, int index) {
		for (ReplicaHandle place : worker.replicas()) {
			if (place.index() == index) {
				return place;
			}
		}
		return null;
	}

	/**
	 * Returns a state as the endpoint and health write it.
	 * @param state the state
	 * @return its name in lower case
	 */
	static String name(WorkerState state) {
		return state.name().toLowerCase(Locale.ROOT);
	}

}
