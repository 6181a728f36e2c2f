package io.vmworkers.it.supervision;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

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
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

@Timeout(value = 180, unit = TimeUnit.SECONDS)
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
	void corruptedChannelRecyclesTheWorkerWithoutDeliveringGarbage() throws Exception {
		long pid = crashTask.pid();
		Path fromWorker = Workers.channelFiles()
			.stream()
			.filter((path) -> path.getFileName().toString().startsWith("crashTask-") && path.toString().endsWith(".w2m"))
			.findFirst()
			.orElseThrow();
		// A foreign writer: move the tail past records that were never written.
		try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(fromWorker,
				java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
			java.nio.MappedByteBuffer control = channel.map(java.nio.channels.FileChannel.MapMode.READ_WRITE, 0,
					io.vmworkers.channel.RingDescriptor.CONTROL_LENGTH);
			control.order(java.nio.ByteOrder.nativeOrder());
			long head = control.getLong(io.vmworkers.channel.RingDescriptor.HEAD_OFFSET);
			control.putLong(io.vmworkers.channel.RingDescriptor.TAIL_OFFSET, head + 4096);
		}
		awaitReplacement(crash, pid);
		assertThat(crashTask.pid()).isEqualTo(crash.pid());
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
