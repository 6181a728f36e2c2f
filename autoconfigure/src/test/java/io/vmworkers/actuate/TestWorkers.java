package io.vmworkers.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.vmworkers.dispatch.ChannelStatistics;
import io.vmworkers.dispatch.Heartbeat;
import io.vmworkers.dispatch.ReplicaHandle;
import io.vmworkers.dispatch.ReplicaRole;
import io.vmworkers.dispatch.Transport;
import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;

import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willReturn;
import static org.mockito.Mockito.mock;

/**
 * Workers and a dispatcher without processes, for tests of what reads them. Mocks rather than
 * implementations, so that new methods on the dispatch interfaces do not break these tests.
 */
final class TestWorkers {

	private TestWorkers() {
	}

	static WorkerHandle ready(String name, long pid, Instant startedAt, Duration heartbeatAge) {
		WorkerHandle worker = mock(WorkerHandle.class);
		given(worker.name()).willReturn(name);
		given(worker.pid()).willReturn(pid);
		given(worker.transport()).willReturn(Transport.SHM);
		given(worker.state()).willReturn(WorkerState.READY);
		given(worker.startedAt()).willReturn(startedAt);
		given(worker.startCount()).willReturn(1);
		given(worker.lastHeartbeatAt()).willReturn(Instant.now().minus(heartbeatAge));
		given(worker.heartbeatAge()).willReturn(heartbeatAge);
		given(worker.lastHeartbeat()).willReturn(new Heartbeat(10_000_000, 64 * 1024 * 1024, 8_000_000));
		given(worker.statistics()).willReturn(statistics(0, 0, 0, 0, 0, 0));
		return worker;
	}

	/**
	 * A worker whose pool has these places; its own figures are those of its first place, as a
	 * test may stub them otherwise.
	 */
	static WorkerHandle pool(String name, ReplicaHandle... places) {
		ReplicaHandle first = places[0];
		WorkerHandle worker = ready(name, first.pid(), first.startedAt(), first.heartbeatAge());
		given(worker.startCount()).willReturn(places.length);
		willReturn(List.of(places)).given(worker).replicas();
		return worker;
	}

	static ReplicaHandle replica(int index, ReplicaRole role, long pid, Instant startedAt, Duration heartbeatAge) {
		ReplicaHandle place = mock(ReplicaHandle.class);
		given(place.index()).willReturn(index);
		given(place.role()).willReturn(role);
		given(place.pid()).willReturn(pid);
		given(place.state()).willReturn(WorkerState.READY);
		given(place.startedAt()).willReturn(startedAt);
		given(place.startCount()).willReturn(1);
		given(place.heartbeatAge()).willReturn(heartbeatAge);
		given(place.lastHeartbeat()).willReturn(new Heartbeat(10_000_000, 64 * 1024 * 1024, 8_000_000));
		given(place.statistics()).willReturn(statistics(0, 0, 0, 0, 0, 0));
		return place;
	}

	static ChannelStatistics statistics(long messagesTo, long bytesTo, long messagesFrom, long bytesFrom,
			long callsCompleted, long callsFailed) {
		return new ChannelStatistics(messagesTo, bytesTo, messagesFrom, bytesFrom, callsCompleted, callsFailed, 0, 16, 32,
				512 * 1024);
	}

	/** A dispatcher whose workers a test can change. */
	static final class Dispatcher implements VmDispatcher {

		private final List<WorkerHandle> workers = new ArrayList<>();

		Dispatcher(WorkerHandle... workers) {
			this.workers.addAll(List.of(workers));
		}

		void add(WorkerHandle worker) {
			this.workers.add(worker);
		}

		void remove(String name) {
			this.workers.removeIf((worker) -> worker.name().equals(name));
		}

		@Override
		public Collection<? extends WorkerHandle> workers() {
			return List.copyOf(this.workers);
		}

		@Override
		public WorkerHandle worker(String name) {
			return this.workers.stream()
				.filter((worker) -> worker.name().equals(name))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("no worker named '" + name + "'"));
		}

	}

}
