package io.vmworkers.it.hardening;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.vmworkers.channel.ChannelFullException;
import io.vmworkers.channel.WorkerChannel;
import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerDiedException;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What applications do with a channel that must neither hang, lose data, grow the heap without
 * bound, nor get a healthy worker killed.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HardeningIntegrationTests {

	/** Small rings, so that the unread window (four rings) is reached with little data. */
	private static final int CAPACITY = 64 * 1024;

	@TempDir
	static Path cds;

	private static ConfigurableApplicationContext context;

	private static StreamTask streamTask;

	private static WorkerHandle stream;

	@BeforeAll
	void start() {
		context = Workers.start(HardeningApplication.class, Stream.concat(Stream.of("vmworkers.channel.capacity=" + CAPACITY,
				"vmworkers.workers.streamTask.heartbeat-timeout=1s",
				// A fresh archive directory: the exit test's worker writes its archive as it exits,
				// which keeps its JVM busy (no heartbeats) for longer than its heartbeat timeout.
				"vmworkers.cds.directory=" + cds, "vmworkers.workers.exitTask.heartbeat-timeout=500ms",
				"vmworkers.workers.exitTask.restart.mode=never",
				// A send timeout longer than the shutdown timeout, which a stop must keep all the same.
				"vmworkers.workers.freezeTask.shutdown-timeout=1s", "vmworkers.workers.freezeTask.channel.send-timeout=5s",
				"vmworkers.workers.freezeTask.heartbeat-timeout=60s"), Stream.of(properties())).toArray(String[]::new));
		streamTask = context.getBean(StreamTask.class);
		stream = context.getBean(VmDispatcher.class).worker("streamTask");
	}

	static ConfigurableApplicationContext context() {
		return context;
	}

	/** More of the master's properties: none here, a transport in a subclass. */
	String[] properties() {
		return new String[0];
	}

	@AfterAll
	void stop() {
		Workers.closeAndCheckNothingLeft(context);
	}

	@Test
	void handlerReadsTheBodiesThatFollowItsHeaderWithNext() {
		WorkerChannel channel = stream.channel();
		channel.put(new Header(1, 3));
		channel.put(new byte[] { 10, 0 });
		channel.put(new byte[] { 11, 0, 0 });
		channel.put(new byte[] { 12 });
		channel.put(new Header(2, 1));
		channel.put(new byte[] { 20, 0, 0, 0 });
		Summary first = channel.next(Duration.ofSeconds(30));
		Summary second = channel.next(Duration.ofSeconds(30));
		assertThat(first.id()).isEqualTo(1);
		assertThat(first.bytes()).isEqualTo(6);
		assertThat(first.firstBytes()).containsExactly(10, 11, 12);
		assertThat(second.id()).isEqualTo(2);
		assertThat(second.firstBytes()).containsExactly(20);
		assertThat(streamTask.pid()).isEqualTo(stream.pid());
	}

	@Test
	void slowHandlerOnTheMasterLeavesItsWorkerAlone() {
		long pid = stream.pid();
		int starts = stream.startCount();
		// Each tick takes longer than the worker's heartbeat timeout (1 s) to handle.
		streamTask.slowMasterHandler(1500);
		try {
			streamTask.ticks(3);
			// Calls keep being answered, by the same process, while the handler sleeps.
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
				assertThat(streamTask.pid()).isEqualTo(pid);
				assertThat(streamTask.ticksOnMaster()).hasSize(3);
			});
		}
		finally {
			streamTask.slowMasterHandler(0);
		}
		assertThat(streamTask.ticksOnMaster()).hasSize(3);
		assertThat(stream.pid()).isEqualTo(pid);
		assertThat(stream.startCount()).isEqualTo(starts);
	}

	@Test
	void unreadFloodMakesTheProducerWaitAndEveryObjectArrivesInOrder() {
		int count = 200;
		int size = 32 * 1024;
		long received = stream.statistics().bytesFromWorker();
		CompletableFuture<Integer> flood = streamTask.flood(count, size);
		// Nobody reads: the producer waits once the master holds its window (4 rings) unread.
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> !flood.isDone());
		long arrivedUnread = stream.statistics().bytesFromWorker() - received;
		WorkerChannel channel = stream.channel();
		for (int i = 0; i < count; i++) {
			byte[] array = channel.next(Duration.ofSeconds(30));
			assertThat(array).hasSize(size);
			assertThat(array[0]).isEqualTo((byte) i);
		}
		// The window and one message more, beside heartbeats and the call's frames.
		assertThat(arrivedUnread).isLessThanOrEqualTo(4L * CAPACITY + size + 16 * 1024);
		assertThat(flood.join()).isEqualTo(count);
		assertThat(channel.atEnd()).isTrue();
		assertThat(stream.startCount()).isEqualTo(1);
	}

	@Test
	void stoppingAWorkerThatReadsNothingTakesTheShutdownTimeoutNotTheSendTimeout() throws Exception {
		FreezeTask freezeTask = context.getBean(FreezeTask.class);
		WorkerHandle freeze = context.getBean(VmDispatcher.class).worker("freezeTask");
		long pid = freezeTask.freezeSoon();
		await().atMost(Duration.ofSeconds(10)).until(() -> processState(pid) == 'T');
		// Fill its ring to the last byte with empty records (no data to credit): the put that
		// finds no room fails after the send timeout, and the stop's CLOSE finds none either.
		assertThatExceptionOfType(ChannelFullException.class).isThrownBy(() -> {
			for (int i = 0; i < 10_000; i++) {
				freeze.channel().put(new byte[0]);
			}
		});
		long start = System.nanoTime();
		freeze.close();
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		// 1 s to ask and wait, 0.5 s between SIGTERM and SIGKILL; the send timeout is 5 s.
		assertThat(millis).isLessThan(4000);
		assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
	}

	static char processState(long pid) throws java.io.IOException {
		String stat = java.nio.file.Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
		return stat.charAt(stat.lastIndexOf(')') + 2);
	}

	@Test
	void workerEndingItsOwnJvmIsReportedWithItsExitCode() {
		ExitTask exitTask = context.getBean(ExitTask.class);
		WorkerHandle exit = context.getBean(VmDispatcher.class).worker("exitTask");
		long pid = exitTask.pid();
		assertThatExceptionOfType(WorkerDiedException.class).isThrownBy(() -> exitTask.exit(3))
			.withMessageContaining("exit code 3")
			.withMessageNotContaining("SIGKILL");
		await().atMost(Duration.ofSeconds(30)).until(() -> exit.lastExit() != null);
		assertThat(exit.lastExit().pid()).isEqualTo(pid);
		assertThat(exit.lastExit().exitCode()).isEqualTo(3);
	}

}
