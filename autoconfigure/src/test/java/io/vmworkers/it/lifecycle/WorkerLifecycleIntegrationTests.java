package io.vmworkers.it.lifecycle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.vmworkers.channel.ChannelClosedException;
import io.vmworkers.channel.WorkerChannel;
import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerDiedException;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;
import io.vmworkers.it.support.WorkerProbe;
import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(OutputCaptureExtension.class)
class WorkerLifecycleIntegrationTests {

	private static ConfigurableApplicationContext context;

	private static SleeperTask task;

	private static WorkerHandle handle;

	@BeforeAll
	static void start() {
		context = Workers.start(LifecycleApplication.class, "vmworkers.shutdown-timeout=5s",
				"vmworkers.restart.mode=never", "vmworkers.workers.sleeperTask.cpus=0");
		task = context.getBean(SleeperTask.class);
		handle = context.getBean(VmDispatcher.class).worker("sleeperTask");
	}

	@AfterAll
	static void stop() {
		Workers.closeAndCheckNothingLeft(context);
	}

	@Test
	@Order(1)
	void callMadeBeforeTheContextStartedWaitedForTheWorker() {
		assertThat(context.getBean(LifecycleApplication.EarlyCaller.class).early).isEqualTo(2);
	}

	@Test
	@Order(1)
	void workerWasLaunchedBeforeAnyBeanAndThatProcessServes() {
		assertThat(context.getBean(WorkerProbe.class).workersAtCreation()).containsExactly(handle.pid());
		assertThat(handle.startCount()).isEqualTo(1);
	}

	@Test
	@Order(1)
	void readyLineTellsHowLongTheWorkerTookAndHowLongTheStartWaited(CapturedOutput output) {
		assertThat(output.getAll()).containsPattern("Worker 'sleeperTask' ready \\(pid " + handle.pid()
				+ "\\) [0-9]+ ms after its launch(, [0-9]+ ms before the context's start needed it"
				+ "|; the context's start waited [0-9]+ ms for it)");
	}

	@Test
	@Order(1)
	void everyThreadOfAPinnedWorkerRunsOnItsCpusOnly() throws IOException {
		List<String> allowed = new java.util.ArrayList<>();
		try (java.util.stream.Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(handle.pid()), "task"))) {
			for (Path thread : threads.toList()) {
				Files.readAllLines(thread.resolve("status"))
					.stream()
					.filter((line) -> line.startsWith("Cpus_allowed_list:"))
					.forEach((line) -> allowed.add(line.substring("Cpus_allowed_list:".length()).strip()));
			}
		}
		// The JVM's own threads (GC, JIT, signal handling) as well as the task's.
		assertThat(allowed).hasSizeGreaterThan(5).containsOnly("0");
		assertThat(ProcessHandle.of(handle.pid()).orElseThrow().info().command()).hasValueSatisfying(
				(command) -> assertThat(command).endsWith("java"));
	}

	@Test
	@Order(2)
	void workerOutputReachesMasterLogPrefixedWithWorkerName(CapturedOutput output) {
		task.say("hello-from-the-worker");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(output.getAll()).contains("[sleeperTask] hello-from-the-worker")
				.contains("[sleeperTask] hello-from-the-worker (stderr)"));
	}

	@Test
	@Order(3)
	void callFailsWithWorkerDiedWhenWorkerIsKilled(CapturedOutput output) throws Exception {
		long pid = task.pid();
		CompletableFuture<Long> call = CompletableFuture.supplyAsync(() -> {
			try {
				return task.sleep(60_000);
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> output.getAll().contains("[sleeperTask] sleeping 60000"));
		ProcessHandle.of(pid).orElseThrow().destroyForcibly();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.get(10, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(WorkerDiedException.class)
			.withMessageContaining("sleeperTask")
			.withMessageContaining("SIGKILL")
			.withMessageContaining("may have executed");
		assertThat(handle.state()).isEqualTo(WorkerState.FAILED);
		assertThatExceptionOfType(WorkerDiedException.class).isThrownBy(() -> task.inc(1))
			.withMessageContaining("restart()");
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Workers.channelFiles()).isEmpty());
		assertThat(Workers.children()).isEmpty();
	}

	@Test
	@Order(4)
	void restartStartsNewProcessAndTheSameChannelWorks() {
		long before = handle.pid();
		int starts = handle.startCount();
		handle.restart();
		assertThat(handle.state()).isEqualTo(WorkerState.READY);
		assertThat(handle.pid()).isNotEqualTo(before).isEqualTo(task.pid());
		assertThat(handle.startCount()).isEqualTo(starts + 1);
		assertThat(task.inc(41)).isEqualTo(42);
		WorkerChannel channel = handle.channel();
		channel.put("again");
		assertThat((String) channel.next(Duration.ofSeconds(30))).isEqualTo("again!");
		assertThat(Workers.channelFiles()).hasSize(2);
	}

	@Test
	@Order(5)
	void closeStopsWorkerAndRemovesItsFiles() {
		long pid = handle.pid();
		handle.close();
		assertThat(handle.state()).isEqualTo(WorkerState.STOPPED);
		// Asked over the channel, the worker finished normally.
		assertThat(handle.lastExit().pid()).isEqualTo(pid);
		assertThat(handle.lastExit().exitCode()).isZero();
		assertThat(handle.lastExit().expected()).isTrue();
		assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
		assertThat(Workers.channelFiles()).isEmpty();
		assertThat(handle.channel().isOpen()).isFalse();
		assertThatExceptionOfType(ChannelClosedException.class).isThrownBy(() -> task.inc(1))
			.withMessageContaining("stopped");
	}

}
