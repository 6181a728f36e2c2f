package io.vmworkers.it.supervision;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.vmworkers.channel.ForeignWriter;
import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerCallTimeoutException;
import io.vmworkers.dispatch.WorkerDiedException;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;
import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(OutputCaptureExtension.class)
class SupervisionIntegrationTests {

	private static ConfigurableApplicationContext context;

	private static CrashTask crashTask;

	private static WorkerHandle crash;

	@BeforeAll
	static void start() {
		context = Workers.start(SupervisionApplication.class, "vmworkers.heartbeat-timeout=1s",
				"vmworkers.restart.initial-backoff=50ms", "vmworkers.workers.crashTask.call-timeout=2s",
				"vmworkers.workers.loopTask.restart.max-restarts=2",
				// Only deliberate crashes may count against its limit, not a kill by a loaded machine.
				"vmworkers.workers.loopTask.heartbeat-timeout=30s");
		crashTask = context.getBean(CrashTask.class);
		crash = context.getBean(VmDispatcher.class).worker("crashTask");
	}

	@AfterAll
	static void stop() {
		Workers.closeAndCheckNothingLeft(context);
	}

	private static void awaitReplacement(WorkerHandle worker, long oldPid) {
		await().atMost(Duration.ofSeconds(60))
			.until(() -> worker.state() == WorkerState.READY && worker.pid() != oldPid);
	}

	@Test
	void crashedWorkerFailsItsCallAndIsRestarted() {
		long pid = crashTask.pid();
		int starts = crash.startCount();
		assertThatExceptionOfType(WorkerDiedException.class).isThrownBy(crashTask::crash)
			.withMessageContaining("exit code 42")
			.withMessageContaining("may have executed");
		awaitReplacement(crash, pid);
		assertThat(crashTask.pid()).isEqualTo(crash.pid());
		assertThat(crash.startCount()).isEqualTo(starts + 1);
		assertThat(crash.lastExit().exitCode()).isEqualTo(42);
		assertThat(crash.lastExit().expected()).isFalse();
	}

	@Test
	void idempotentCallIsSentAgainToTheRestartedWorker(@TempDir Path directory) throws Exception {
		long pid = crashTask.pid();
		assertThat(crashTask.crashOnce(directory.resolve("marker").toString())).isEqualTo(7);
		assertThat(crash.pid()).isNotEqualTo(pid);
		assertThat(crash.lastExit().exitCode()).isEqualTo(43);
	}

	@Test
	void hungWorkerIsKilledAndRestarted() throws Exception {
		long pid = crashTask.pid();
		Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start();
		assertThat(stop.waitFor()).isZero();
		awaitReplacement(crash, pid);
		assertThat(crash.lastExit().pid()).isEqualTo(pid);
		assertThat(crash.lastExit().description()).contains("SIGKILL");
		assertThat(crashTask.pid()).isEqualTo(crash.pid());
	}

	@Test
	void deletedChannelFileRecyclesTheWorker() throws Exception {
		long pid = crashTask.pid();
		Path file = Workers.channelFiles()
			.stream()
			.filter((path) -> path.getFileName().toString().startsWith("crashTask-"))
			.findFirst()
			.orElseThrow();
		Files.delete(file);
		awaitReplacement(crash, pid);
		assertThat(crashTask.pid()).isEqualTo(crash.pid());
	}

	@Test
	void corruptedChannelRecyclesTheWorkerWithoutDeliveringGarbage(CapturedOutput output) throws Exception {
		long pid = crashTask.pid();
		Path fromWorker = Workers.channelFiles()
			.stream()
			.filter((path) -> path.getFileName().toString().startsWith("crashTask-") && path.toString().endsWith(".w2m"))
			.findFirst()
			.orElseThrow();
		// A foreign writer moves the tail past records that were never written, and wakes the
		// master's reader. The worker's next heartbeat would publish its own tail over it: repeated
		// until the master has read the ring in between and recycled the worker.
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
			if (crash.pid() == pid) {
				try {
					ForeignWriter.moveTailAndWakeReader(fromWorker, 4096);
				}
				catch (java.nio.file.NoSuchFileException ex) {
					// The master recycled the worker and deleted its files meanwhile.
				}
			}
			return crash.pid() != pid;
		});
		awaitReplacement(crash, pid);
		assertThat(crashTask.pid()).isEqualTo(crash.pid());
		assertThat(output.getAll()).contains("Channel of worker 'crashTask' failed; closing it");
	}

	@Test
	void timedOutCallFailsAndItsLateAnswerGoesToNobodyElse() throws Exception {
		assertThatExceptionOfType(WorkerCallTimeoutException.class).isThrownBy(() -> crashTask.slow(3000))
			.withMessageContaining("vmworkers.call-timeout");
		// The late answer (3000) arrives while these run: each gets its own.
		for (int i = 0; i < 30; i++) {
			assertThat(crashTask.slow(i)).isEqualTo(i);
		}
	}

	@Test
	void crashLoopingWorkerEndsFailedAfterTheIntensityLimit() {
		LoopTask loop = context.getBean(LoopTask.class);
		WorkerHandle handle = context.getBean(VmDispatcher.class).worker("loopTask");
		for (int i = 0; i < 2; i++) {
			long pid = loop.pid();
			assertThatExceptionOfType(WorkerDiedException.class).isThrownBy(loop::crash);
			awaitReplacement(handle, pid);
		}
		assertThatExceptionOfType(WorkerDiedException.class).isThrownBy(loop::crash);
		await().atMost(Duration.ofSeconds(10)).until(() -> handle.state() == WorkerState.FAILED);
		assertThatExceptionOfType(WorkerDiedException.class).isThrownBy(loop::pid).withMessageContaining("restart()");
		handle.restart();
		assertThat(loop.pid()).isEqualTo(handle.pid());
	}

}
