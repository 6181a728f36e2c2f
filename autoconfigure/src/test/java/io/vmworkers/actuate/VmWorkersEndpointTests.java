package io.vmworkers.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.vmworkers.actuate.VmWorkersEndpoint.RecycleDescriptor;
import io.vmworkers.actuate.VmWorkersEndpoint.ReplicaDescriptor;
import io.vmworkers.actuate.VmWorkersEndpoint.WorkerDescriptor;
import io.vmworkers.dispatch.ChannelStatistics;
import io.vmworkers.dispatch.ExitInfo;
import io.vmworkers.dispatch.Heartbeat;
import io.vmworkers.dispatch.RecycleInfo;
import io.vmworkers.dispatch.ReplicaHandle;
import io.vmworkers.dispatch.ReplicaRole;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;

class VmWorkersEndpointTests {

	private final Instant started = Instant.now().minusSeconds(60);

	private final WorkerHandle robot = TestWorkers.ready("robot", 4242, this.started, Duration.ZERO);

	private final WorkerHandle camera = TestWorkers.ready("camera", 4343, this.started, Duration.ZERO);

	private final TestWorkers.Dispatcher dispatcher = new TestWorkers.Dispatcher(this.robot, this.camera);

	private final CallLatencyRecorder latencies = new CallLatencyRecorder();

	private final VmWorkersEndpoint endpoint = new VmWorkersEndpoint(this.dispatcher,
			new WorkerSampler(this.dispatcher, this.latencies));

	@Test
	void describesEveryWorkerInOrder() {
		assertThat(this.endpoint.workers().workers()).extracting(WorkerDescriptor::name)
			.containsExactly("robot", "camera");
	}

	@Test
	void describesAReadyWorker() {
		given(this.robot.statistics()).willReturn(TestWorkers.statistics(10, 100, 12, 120, 3, 1));
		this.latencies.callCompleted("robot", "move", 2_000_000, false);
		WorkerDescriptor robot = this.endpoint.worker("robot");
		assertThat(robot.state()).isEqualTo("ready");
		assertThat(robot.pid()).isEqualTo(4242);
		assertThat(robot.startedAt()).isEqualTo(this.started);
		assertThat(robot.uptimeMillis()).isBetween(59_000L, 70_000L);
		assertThat(robot.restarts()).isZero();
		assertThat(robot.heartbeatAgeMillis()).isBetween(0L, 5_000L);
		assertThat(robot.lastExit()).isNull();
		assertThat(robot.process().heapUsed()).isEqualTo(10_000_000);
		assertThat(robot.process().heapMax()).isEqualTo(64 * 1024 * 1024);
		assertThat(robot.channel().toWorker().messages()).isEqualTo(10);
		assertThat(robot.channel().toWorker().bytes()).isEqualTo(100);
		assertThat(robot.channel().toWorker().bytesWaiting()).isEqualTo(16);
		assertThat(robot.channel().toWorker().capacity()).isEqualTo(512 * 1024);
		assertThat(robot.channel().fromWorker().messages()).isEqualTo(12);
		assertThat(robot.channel().fromWorker().bytesWaiting()).isEqualTo(32);
		assertThat(robot.calls().completed()).isEqualTo(3);
		assertThat(robot.calls().failed()).isEqualTo(1);
		assertThat(robot.calls().sampled()).isOne();
		assertThat(robot.calls().p50Millis()).isEqualTo(2.0);
		assertThat(robot.calls().p99Millis()).isEqualTo(2.0);
	}

	@Test
	void describesAFailedWorkerWithTheSignalThatKilledIt() {
		given(this.robot.state()).willReturn(WorkerState.FAILED);
		given(this.robot.lastExit()).willReturn(new ExitInfo(4242, 137, "exit code 137 (SIGKILL, signal 9)",
				Instant.now(), false, List.of("last words")));
		WorkerDescriptor robot = this.endpoint.worker("robot");
		assertThat(robot.state()).isEqualTo("failed");
		assertThat(robot.pid()).isEqualTo(-1);
		assertThat(robot.uptimeMillis()).isNull();
		assertThat(robot.process().heapUsed()).isNull();
		assertThat(robot.lastExit().signal()).isEqualTo("SIGKILL");
		assertThat(robot.lastExit().exitCode()).isEqualTo(137);
		assertThat(robot.lastExit().expected()).isFalse();
		assertThat(robot.lastExit().outputTail()).containsExactly("last words");
	}

	@Test
	void anExitCodeIsNotASignal() {
		given(this.robot.lastExit())
			.willReturn(new ExitInfo(4242, 3, "exit code 3", Instant.now(), false, List.of()));
		assertThat(this.endpoint.worker("robot").lastExit().signal()).isNull();
	}

	@Test
	void aWorkerWithoutPlacesListsNoReplicas() {
		assertThat(this.endpoint.worker("robot").replicas()).isEmpty();
	}

	@Test
	void aSingleProcessWorkerIsItsOnlyReplica() {
		ReplicaHandle only = TestWorkers.replica(0, ReplicaRole.REPLICA, 4242, this.started, Duration.ofMillis(40));
		given(only.statistics()).willReturn(TestWorkers.statistics(10, 100, 12, 120, 3, 1));
		WorkerHandle single = TestWorkers.pool("single", only);
		given(single.statistics()).willReturn(TestWorkers.statistics(10, 100, 12, 120, 3, 1));
		WorkerDescriptor worker = endpoint(single).worker("single");
		assertThat(worker.pid()).isEqualTo(4242);
		assertThat(worker.restarts()).isZero();
		assertThat(worker.process().heapUsed()).isEqualTo(10_000_000);
		assertThat(worker.process().heapMax()).isEqualTo(64 * 1024 * 1024);
		assertThat(worker.replicas()).singleElement().satisfies((replica) -> {
			assertThat(replica.index()).isZero();
			assertThat(replica.role()).isEqualTo("replica");
			assertThat(replica.pid()).isEqualTo(4242);
			assertThat(replica.process()).isEqualTo(worker.process());
			assertThat(replica.channel()).isEqualTo(worker.channel());
			assertThat(replica.calls().completed()).isEqualTo(worker.calls().completed());
		});
	}

	@Test
	void describesEachPlaceOfAPoolInOrder() {
		Instant recycled = Instant.now().minusSeconds(5);
		ReplicaHandle first = TestWorkers.replica(0, ReplicaRole.REPLICA, 101, this.started, Duration.ofMillis(40));
		ReplicaHandle second = TestWorkers.replica(1, ReplicaRole.REPLICA, 102, recycled, Duration.ofMillis(90));
		ReplicaHandle spare = TestWorkers.replica(2, ReplicaRole.SPARE, 103, this.started, Duration.ofMillis(10));
		given(first.statistics()).willReturn(new ChannelStatistics(10, 100, 12, 120, 7, 1, 5, 16, 32, 4096));
		given(first.callsInFlight()).willReturn(2);
		given(second.startCount()).willReturn(2);
		given(second.callsInFlight()).willReturn(1);
		given(second.lastHeartbeat()).willReturn(new Heartbeat(20_000_000, 128 * 1024 * 1024, 15_000_000));
		given(second.lastRecycle()).willReturn(new RecycleInfo(99, "2000 calls", recycled));
		given(second.lastExit()).willReturn(new ExitInfo(99, 0, "exit code 0", recycled, true, List.of()));
		WorkerDescriptor pool = endpoint(TestWorkers.pool("pool", first, second, spare)).worker("pool");
		assertThat(pool.replicas()).extracting(ReplicaDescriptor::index).containsExactly(0, 1, 2);
		assertThat(pool.replicas()).extracting(ReplicaDescriptor::role).containsExactly("replica", "replica", "spare");
		assertThat(pool.replicas()).extracting(ReplicaDescriptor::pid).containsExactly(101L, 102L, 103L);
		assertThat(pool.replicas()).extracting(ReplicaDescriptor::state).containsOnly("ready");
		assertThat(pool.replicas()).extracting(ReplicaDescriptor::heartbeatAgeMillis).containsExactly(40L, 90L, 10L);
		ReplicaDescriptor zero = pool.replicas().get(0);
		assertThat(zero.startedAt()).isEqualTo(this.started);
		assertThat(zero.uptimeMillis()).isBetween(59_000L, 70_000L);
		assertThat(zero.lastRecycle()).isNull();
		assertThat(zero.channel().toWorker().messages()).isEqualTo(10);
		assertThat(zero.channel().workerWakeUps()).isEqualTo(5);
		assertThat(zero.channel().toWorker().bytesWaiting()).isEqualTo(16);
		assertThat(zero.channel().fromWorker().bytesWaiting()).isEqualTo(32);
		assertThat(zero.channel().toWorker().capacity()).isEqualTo(4096);
		assertThat(zero.calls().completed()).isEqualTo(7);
		assertThat(zero.calls().failed()).isEqualTo(1);
		assertThat(zero.calls().inFlight()).isEqualTo(2);
		ReplicaDescriptor one = pool.replicas().get(1);
		assertThat(one.startCount()).isEqualTo(2);
		assertThat(one.uptimeMillis()).isBetween(4_000L, 15_000L);
		assertThat(one.process().heapUsed()).isEqualTo(20_000_000);
		assertThat(one.process().heapMax()).isEqualTo(128 * 1024 * 1024);
		assertThat(one.lastRecycle()).isEqualTo(new RecycleDescriptor(99, "2000 calls", recycled));
		assertThat(one.lastExit().pid()).isEqualTo(99);
		assertThat(one.lastExit().expected()).isTrue();
		assertThat(one.calls().inFlight()).isOne();
		assertThat(pool.calls().inFlight()).isEqualTo(3);
	}

	@Test
	void aPoolsProcessFiguresAreTheSumOverItsRunningProcesses() {
		AtomicLong now = new AtomicLong(Duration.ofSeconds(5).toNanos());
		AtomicLong cpu = new AtomicLong();
		ReplicaHandle first = TestWorkers.replica(0, ReplicaRole.REPLICA, 101, this.started, Duration.ZERO);
		ReplicaHandle second = TestWorkers.replica(1, ReplicaRole.REPLICA, 102, this.started, Duration.ZERO);
		ReplicaHandle spare = TestWorkers.replica(2, ReplicaRole.SPARE, 103, this.started, Duration.ZERO);
		ReplicaHandle down = TestWorkers.replica(3, ReplicaRole.SPARE, 104, this.started, null);
		given(down.state()).willReturn(WorkerState.RESTARTING);
		WorkerHandle worker = TestWorkers.pool("pool", first, second, spare, down);
		given(worker.startCount()).willReturn(6);
		TestWorkers.Dispatcher pool = new TestWorkers.Dispatcher(worker);
		// Process n uses n tenths of a CPU second per second and n * 10 MB.
		WorkerSampler sampler = new WorkerSampler(pool, this.latencies, now::get,
				(pid) -> new ProcessUsage(cpu.get() * (pid - 100) / 10, (pid - 100) * 10_000_000));
		sampler.sample();
		now.addAndGet(Duration.ofSeconds(1).toNanos());
		cpu.addAndGet(Duration.ofSeconds(1).toNanos());
		sampler.sample();
		WorkerDescriptor described = new VmWorkersEndpoint(pool, sampler).worker("pool");
		int processors = Runtime.getRuntime().availableProcessors();
		assertThat(described.replicas()).extracting((replica) -> replica.process().residentMemory())
			.containsExactly(10_000_000L, 20_000_000L, 30_000_000L, null);
		assertThat(described.replicas().get(1).process().cpuUsage()).isCloseTo(0.2 / processors, within(1e-4));
		assertThat(described.replicas().get(3).pid()).isEqualTo(-1);
		assertThat(described.replicas().get(3).process().heapUsed()).isNull();
		assertThat(described.process().residentMemory()).isEqualTo(60_000_000L);
		assertThat(described.process().cpuUsage()).isCloseTo(0.6 / processors, within(1e-4));
		assertThat(described.process().cpuTimeSeconds()).isCloseTo(0.6, within(0.01));
		assertThat(described.process().heapUsed()).isEqualTo(30_000_000);
		assertThat(described.process().heapMax()).isEqualTo(3 * 64 * 1024 * 1024);
		assertThat(described.restarts()).isEqualTo(2);
	}

	@Test
	void unknownWorkerIsNull() {
		assertThat(this.endpoint.worker("nobody")).isNull();
		assertThat(this.endpoint.control("nobody", "restart")).isNull();
	}

	@Test
	void restartAndStopActOnTheNamedWorkerOnly() {
		this.endpoint.control("robot", "restart");
		then(this.robot).should().restart();
		this.endpoint.control("robot", "STOP");
		then(this.robot).should().close();
		then(this.camera).should(never()).restart();
		then(this.camera).should(never()).close();
	}

	@Test
	void unknownActionIsABadRequest() {
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.control("robot", "explode"))
			.withMessageContaining("restart")
			.withMessageContaining("stop");
		then(this.robot).should(never()).close();
	}

	private VmWorkersEndpoint endpoint(WorkerHandle worker) {
		TestWorkers.Dispatcher workers = new TestWorkers.Dispatcher(worker);
		return new VmWorkersEndpoint(workers, new WorkerSampler(workers, this.latencies));
	}

	@Test
	void webExtensionAnswers404ForAnUnknownWorker() {
		VmWorkersEndpointWebExtension extension = new VmWorkersEndpointWebExtension(this.endpoint);
		assertThat(extension.control("nobody", "stop").getStatus()).isEqualTo(WebEndpointResponse.STATUS_NOT_FOUND);
		WebEndpointResponse<WorkerDescriptor> response = extension.control("robot", "stop");
		assertThat(response.getStatus()).isEqualTo(WebEndpointResponse.STATUS_OK);
		assertThat(response.getBody().name()).isEqualTo("robot");
	}

}
