package io.vmworkers.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.vmworkers.dispatch.ExitInfo;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;
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

	private Health health(String worker) {
		return ((HealthIndicator) this.contributor.getContributor(worker)).health();
	}

}
