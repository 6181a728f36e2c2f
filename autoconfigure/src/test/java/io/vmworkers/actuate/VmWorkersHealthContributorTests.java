package io.vmworkers.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.vmworkers.dispatch.ExitInfo;
import io.vmworkers.dispatch.ReplicaHandle;
import io.vmworkers.dispatch.ReplicaRole;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

class VmWorkersHealthContributorTests {

	private final Instant now = Instant.parse("2025-01-01T12:00:00Z");

	private final WorkerHandle robot = TestWorkers.ready("robot", 4242, this.now.minusSeconds(30),
			Duration.ofMillis(200));

	private final WorkerHandle camera = TestWorkers.ready("camera", 4343, this.now.minusSeconds(30),
			Duration.ofMillis(200));

	private final VmWorkersHealthContributor contributor = new VmWorkersHealthContributor(
			new TestWorkers.Dispatcher(this.robot, this.camera), (name) -> Duration.ofSeconds(1),
			Clock.fixed(this.now, ZoneOffset.UTC));

	@Test
	void hasOneEntryPerWorker() {
		assertThat(this.contributor.stream().map(HealthContributors.Entry::name)).containsExactly("robot", "camera");
		assertThat(this.contributor.getContributor("robot")).isInstanceOf(WorkerHealthIndicator.class);
		assertThat(this.contributor.getContributor("nobody")).isNull();
	}

	@Test
	void readyWorkerWithARecentHeartbeatIsUpWithPidUptimeAndHeartbeatAge() {
		Health health = health("robot");
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("state", "ready")
			.containsEntry("pid", 4242L)
			.containsEntry("uptimeMillis", 30_000L)
			.containsEntry("heartbeatAgeMillis", 200L);
	}

	@Test
	void eachWorkerIsJudgedByItsOwnHeartbeatTimeout() {
		VmWorkersHealthContributor perWorker = new VmWorkersHealthContributor(
				new TestWorkers.Dispatcher(this.robot, this.camera),
				(name) -> name.equals("camera") ? Duration.ofSeconds(2) : Duration.ofSeconds(1),
				Clock.fixed(this.now, ZoneOffset.UTC));
		given(this.robot.heartbeatAge()).willReturn(Duration.ofMillis(1500));
		given(this.camera.heartbeatAge()).willReturn(Duration.ofMillis(1500));
		assertThat(((HealthIndicator) perWorker.getContributor("robot")).health().getStatus()).isEqualTo(Status.DOWN);
		assertThat(((HealthIndicator) perWorker.getContributor("camera")).health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void readyWorkerWithAStaleHeartbeatIsDown() {
		given(this.robot.heartbeatAge()).willReturn(Duration.ofMillis(1500));
		Health health = health("robot");
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("heartbeatAgeMillis", 1500L);
		assertThat((String) health.getDetails().get("reason")).contains("heartbeat");
		assertThat(health("camera").getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void justStartedWorkerWithoutAHeartbeatYetIsUp() {
		given(this.robot.startedAt()).willReturn(this.now.minusSeconds(5));
		given(this.robot.heartbeatAge()).willReturn(null);
		assertThat(health("robot").getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void failedWorkerIsDownWithItsExit() {
		given(this.robot.state()).willReturn(WorkerState.FAILED);
		given(this.robot.lastExit()).willReturn(new ExitInfo(4242, 137, "exit code 137 (SIGKILL, signal 9)",
				this.now, false, List.of()));
		Health health = health("robot");
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("state", "failed")
			.containsEntry("exit", "exit code 137 (SIGKILL, signal 9)");
	}

	@Test
	void workerOnItsWayBackAfterACrashIsUnknownWithItsExit() {
		given(this.robot.state()).willReturn(WorkerState.STARTING);
		given(this.robot.lastExit()).willReturn(new ExitInfo(4242, 137, "exit code 137 (SIGKILL, signal 9)",
				this.now, false, List.of()));
		Health health = health("robot");
		assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
		assertThat(health.getDetails()).containsEntry("exit", "exit code 137 (SIGKILL, signal 9)");
	}

	@Test
	void stoppedWorkerIsOutOfServiceAndStartingOneUnknown() {
		given(this.robot.state()).willReturn(WorkerState.STOPPED);
		assertThat(health("robot").getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		given(this.robot.state()).willReturn(WorkerState.STARTING);
		assertThat(health("robot").getStatus()).isEqualTo(Status.UNKNOWN);
	}

	@Test
	void singleProcessWorkerHasTheSameDetailsAsWithoutAPool() {
		ReplicaHandle only = TestWorkers.replica(0, ReplicaRole.REPLICA, 4242, this.now.minusSeconds(30),
				Duration.ofMillis(200));
		Health health = health(TestWorkers.pool("single", only), false);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsOnlyKeys("state", "pid", "uptimeMillis", "heartbeatAgeMillis");
	}

	@Test
	void poolIsUpWhileOneOfItsReplicasServesAndSaysHowMany() {
		Health health = health(degradedPool(), false);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("state", "ready")
			.containsEntry("serving", 1)
			.containsEntry("replicas", 3)
			.containsEntry("spares", 1)
			.doesNotContainKey("reason");
	}

	@Test
	void poolDescribesEachProcess() {
		Health health = health(degradedPool(), false);
		assertThat(health.getDetails().get("processes")).asInstanceOf(InstanceOfAssertFactories.LIST)
			.containsExactly(
					Map.of("index", 0, "role", "replica", "state", "ready", "pid", 101L, "heartbeatAgeMillis", 200L),
					Map.of("index", 1, "role", "replica", "state", "restarting", "pid", -1L, "exit",
							"exit code 137 (SIGKILL, signal 9)"),
					Map.of("index", 2, "role", "replica", "state", "ready", "pid", 103L, "heartbeatAgeMillis", 1500L),
					Map.of("index", 3, "role", "spare", "state", "ready", "pid", 104L, "heartbeatAgeMillis", 100L));
	}

	@Test
	void poolBelowItsReplicasIsDownWhenAskedTo() {
		Health health = health(degradedPool(), true);
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("serving", 1).containsEntry("replicas", 3);
		assertThat((String) health.getDetails().get("reason")).contains("1 of 3")
			.contains("vmworkers.health.down-below-replicas");
	}

	@Test
	void poolWithAllItsReplicasServingIsUpWhenAskedForDownBelowReplicas() {
		ReplicaHandle first = replica(0, ReplicaRole.REPLICA, 101, 200);
		ReplicaHandle second = replica(1, ReplicaRole.REPLICA, 102, 200);
		ReplicaHandle spare = replica(2, ReplicaRole.SPARE, 103, 200);
		given(spare.state()).willReturn(WorkerState.STARTING);
		Health health = health(TestWorkers.pool("pool", first, second, spare), true);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("serving", 2).containsEntry("replicas", 2);
	}

	@Test
	void aSpareDoesNotServe() {
		ReplicaHandle first = replica(0, ReplicaRole.REPLICA, 101, 200);
		ReplicaHandle spare = replica(1, ReplicaRole.SPARE, 102, 200);
		given(first.state()).willReturn(WorkerState.RESTARTING);
		WorkerHandle pool = TestWorkers.pool("pool", first, spare);
		given(pool.state()).willReturn(WorkerState.RESTARTING);
		Health health = health(pool, false);
		assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
		assertThat(health.getDetails()).containsEntry("serving", 0).containsEntry("replicas", 1);
		assertThat(health(pool, true).getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void readyPoolWhoseReplicasAllHaveStaleHeartbeatsIsDown() {
		ReplicaHandle first = replica(0, ReplicaRole.REPLICA, 101, 1500);
		ReplicaHandle second = replica(1, ReplicaRole.REPLICA, 102, 2500);
		Health health = health(TestWorkers.pool("pool", first, second), false);
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("serving", 0);
		assertThat((String) health.getDetails().get("reason")).contains("heartbeat");
	}

	@Test
	void stoppedPoolIsOutOfServiceEvenWhenAskedForDownBelowReplicas() {
		ReplicaHandle first = replica(0, ReplicaRole.REPLICA, 101, 200);
		ReplicaHandle second = replica(1, ReplicaRole.REPLICA, 102, 200);
		given(first.state()).willReturn(WorkerState.STOPPED);
		given(second.state()).willReturn(WorkerState.STOPPED);
		WorkerHandle pool = TestWorkers.pool("pool", first, second);
		given(pool.state()).willReturn(WorkerState.STOPPED);
		assertThat(health(pool, true).getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
	}

	@Test
	void restartingSingleWorkerIsDownWhenAskedForDownBelowReplicas() {
		given(this.robot.state()).willReturn(WorkerState.RESTARTING);
		assertThat(health("robot").getStatus()).isEqualTo(Status.UNKNOWN);
		assertThat(health(this.robot, true).getStatus()).isEqualTo(Status.DOWN);
		given(this.robot.state()).willReturn(WorkerState.READY);
		assertThat(health(this.robot, true).getStatus()).isEqualTo(Status.UP);
	}

	/**
	 * Three replicas and a spare: replica 0 serves, replica 1 is restarting after a crash,
	 * replica 2 is ready with a stale heartbeat, and the spare is ready.
	 */
	private WorkerHandle degradedPool() {
		ReplicaHandle first = replica(0, ReplicaRole.REPLICA, 101, 200);
		ReplicaHandle second = replica(1, ReplicaRole.REPLICA, 102, 200);
		given(second.state()).willReturn(WorkerState.RESTARTING);
		given(second.lastExit()).willReturn(new ExitInfo(102, 137, "exit code 137 (SIGKILL, signal 9)", this.now,
				false, List.of()));
		ReplicaHandle third = replica(2, ReplicaRole.REPLICA, 103, 1500);
		ReplicaHandle spare = replica(3, ReplicaRole.SPARE, 104, 100);
		return TestWorkers.pool("pool", first, second, third, spare);
	}

	private ReplicaHandle replica(int index, ReplicaRole role, long pid, long heartbeatAgeMillis) {
		return TestWorkers.replica(index, role, pid, this.now.minusSeconds(30), Duration.ofMillis(heartbeatAgeMillis));
	}

	private Health health(WorkerHandle worker, boolean downBelowReplicas) {
		VmWorkersHealthContributor contributor = new VmWorkersHealthContributor(
				new TestWorkers.Dispatcher(worker), (name) -> Duration.ofSeconds(1), downBelowReplicas,
				Clock.fixed(this.now, ZoneOffset.UTC));
		return ((HealthIndicator) contributor.getContributor(worker.name())).health();
	}

	private Health health(String worker) {
		return ((HealthIndicator) this.contributor.getContributor(worker)).health();
	}

}
