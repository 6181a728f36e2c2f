package io.vmworkers.it.supervision;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerDiedException;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;
import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Supervision of a worker on the TCP transport: a crash fails its call at once and a new process
 * connects anew; a hung one, whose beats stop coming over the connection, is killed and replaced.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TcpSupervisionIntegrationTests {

	private static ConfigurableApplicationContext context;

	private static CrashTask crashTask;

	private static WorkerHandle crash;

	@BeforeAll
	static void start() {
		context = Workers.start(SupervisionApplication.class, "vmworkers.workers.crashTask.transport=tcp",
				"vmworkers.workers.loopTask.transport=tcp", "vmworkers.heartbeat-timeout=1s",
				"vmworkers.restart.initial-backoff=50ms",
				"vmworkers.workers.loopTask.heartbeat-timeout=30s");
		crashTask = context.getBean(CrashTask.class);
		crash = context.getBean(VmDispatcher.class).worker("crashTask");
	}

	@AfterAll
	static void stop() {
		Workers.closeAndCheckNothingLeft(context);
	}

	private static void awaitReplacement(long oldPid) {
		await().atMost(Duration.ofSeconds(60))
			.until(() -> crash.state() == WorkerState.READY && crash.pid() != oldPid);
	}

	@Test
	void crashedWorkerFailsItsCallAtOnceAndItsReplacementConnectsAnew() {
		long pid = crashTask.pid();
		assertThatExceptionOfType(WorkerDiedException.class).isThrownBy(crashTask::crash)
			.withMessageContaining("exit code 42");
		awaitReplacement(pid);
		assertThat(crashTask.pid()).isEqualTo(crash.pid());
		assertThat(crash.lastExit().exitCode()).isEqualTo(42);
		assertThat(crash.lastExit().expected()).isFalse();
	}

	@Test
	void hungWorkerWhoseBeatsStopIsKilledAndReplaced() throws Exception {
		long pid = crashTask.pid();
		// Beats cross the connection: a worker that runs keeps its place well past the timeout.
		await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> crash.pid() == pid);
		Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start();
		assertThat(stop.waitFor()).isZero();
		awaitReplacement(pid);
		assertThat(crash.lastExit().pid()).isEqualTo(pid);
		assertThat(crash.lastExit().description()).contains("SIGKILL");
		assertThat(crashTask.pid()).isEqualTo(crash.pid());
	}

}
