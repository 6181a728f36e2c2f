package io.vmworkers.it.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.vmworkers.channel.WorkerChannel;
import io.vmworkers.codec.ClassNotAllowedException;
import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;
import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerCallsIntegrationTests {

	private static ConfigurableApplicationContext context;

	private static EchoTask task;

	@BeforeAll
	void start() {
		String[] all = Stream.concat(Stream.of("vmworkers.channel.max-message-size=16MB"), Stream.of(properties()))
			.toArray(String[]::new);
		context = Workers.start(CallsApplication.class, all);
		task = context.getBean(EchoTask.class);
	}

	/** The master's properties besides the test's own: none here, a transport in a subclass. */
	String[] properties() {
		return new String[0];
	}

	static ConfigurableApplicationContext context() {
		return context;
	}

	@AfterAll
	void stop() {
		Workers.closeAndCheckNothingLeft(context);
	}

	@Test
	void workerMethodRunsInAnotherJvm() {
		long workerPid = task.pid();
		assertThat(workerPid).isNotEqualTo(ProcessHandle.current().pid());
		assertThat(ProcessHandle.of(workerPid)).isPresent();
		assertThat(context.getBean(VmDispatcher.class).worker("echoTask").pid()).isEqualTo(workerPid);
	}

	@Test
	void workerWasLaunchedWhileTheContextWasStillBeingCreated() {
		Instant contextStart = context.getBean(CallsApplication.StartClock.class).startedAt;
		assertThat(context.getBean(VmDispatcher.class).worker("echoTask").startedAt()).isBefore(contextStart);
	}

	@Test
	void onMasterMethodRunsOnMasterAndItsCallsGoToWorker() {
		assertThat(task.masterPid()).isEqualTo(ProcessHandle.current().pid());
		assertThat(task.workerPidThroughMaster()).isEqualTo(task.pid()).isNotEqualTo(ProcessHandle.current().pid());
	}

	@Test
	void valuesRecordsAndCollectionsCrossBothWays() {
		assertThat(task.inc(41)).isEqualTo(42);
		assertThat(task.move(new Pose(1, 2, 3), 0.5)).isEqualTo(new Pose(1.5, 2, 3));
		assertThat(task.group(List.of(1, 2, 3, 4))).isEqualTo(Map.of("even", List.of(2, 4), "odd", List.of(1, 3)));
	}

	@Test
	void workerExceptionIsRethrownWithTypeMessageAndWorkerStack() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> task.fail("boom"))
			.withMessage("boom")
			.satisfies((ex) -> assertThat(ex.getStackTrace())
				.anySatisfy((frame) -> assertThat(frame.getMethodName()).isEqualTo("fail")));
	}

	@Test
	void completableFutureMethodIsAsync() throws Exception {
		assertThat(task.shout("hello").get(30, TimeUnit.SECONDS)).isEqualTo("HELLO");
	}

	@Test
	void refusedResultFailsTheCallAndLeavesChannelUsable() {
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> task.leak())
			.withMessageContaining("java.lang.Thread")
			.withMessageContaining("vmworkers.serialization.allowed-packages");
		assertThat(task.inc(1)).isEqualTo(2);
	}

	@Test
	void refusedArgumentIsRefusedAtSenderAndChannelStaysUsable() {
		WorkerChannel channel = context.getBean(VmDispatcher.class).worker("echoTask").channel();
		assertThatExceptionOfType(ClassNotAllowedException.class)
			.isThrownBy(() -> channel.put(List.of(new Object[] { Thread.currentThread() })))
			.withMessageContaining("class java.lang.Thread is not allowed on the channel");
		channel.put("still");
		assertThat((String) channel.next(Duration.ofSeconds(30))).isEqualTo("still!");
	}

	@Test
	void concurrentCallsFromManyThreadsGetTheirOwnResults() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<Integer>> results = new ArrayList<>();
			for (int i = 0; i < 2000; i++) {
				int value = i;
				results.add(pool.submit(() -> task.inc(value)));
			}
			for (int i = 0; i < results.size(); i++) {
				assertThat(results.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(i + 1);
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void byteArraysCrossAsTheyAreBothWaysReadInPlaceOnTheWorkerAndOneTooLargeIsRefusedLeavingTheChannelUsable() {
		WorkerChannel channel = context.getBean(VmDispatcher.class).worker("echoTask").channel();
		byte[] large = new byte[3 * 1024 * 1024 + 17];
		for (int i = 0; i < large.length; i++) {
			large[i] = (byte) (i * 7 + (i >> 11));
		}
		channel.put(large);
		channel.put(new byte[0]);
		byte[] back = channel.next(Duration.ofSeconds(60));
		assertThat(back).hasSameSizeAs(large);
		for (int i = 0; i < large.length; i++) {
			if (back[i] != large[large.length - 1 - i]) {
				throw new AssertionError("byte " + i + " differs");
			}
		}
		assertThat((byte[]) channel.next(Duration.ofSeconds(30))).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> channel.put(new byte[16 * 1024 * 1024 + 1]))
			.withMessageContaining("length=16777217")
			.withMessageContaining("raise vmworkers.channel.max-message-size");
		channel.put(new byte[] { 1, 2, 3 });
		assertThat((byte[]) channel.next(Duration.ofSeconds(30))).containsExactly(3, 2, 1);
	}

	@Test
	void largeMessagesAreFragmentedAndReassembled() {
		int size = 8 * 1024 * 1024 + 123;
		byte[] bytes = task.bytes(size);
		assertThat(bytes).hasSize(size);
		for (int i = 0; i < size; i += 4099) {
			assertThat(bytes[i]).isEqualTo((byte) (i * 31));
		}
		WorkerChannel channel = context.getBean(VmDispatcher.class).worker("echoTask").channel();
		int[] values = new int[3 * 1024 * 1024];
		long expected = 0;
		for (int i = 0; i < values.length; i++) {
			values[i] = i;
			expected += i;
		}
		channel.put(values);
		assertThat((Long) channel.next(Duration.ofSeconds(60))).isEqualTo(expected);
	}

	@Test
	void onDataOnWorkerReceivesInOrder() {
		WorkerChannel channel = context.getBean(VmDispatcher.class).worker("echoTask").channel();
		for (int i = 0; i < 1000; i++) {
			channel.put("m" + i);
		}
		for (int i = 0; i < 1000; i++) {
			assertThat((String) channel.next(Duration.ofSeconds(30))).isEqualTo("m" + i + "!");
		}
		assertThat(channel.atEnd()).isTrue();
		assertThat((Object) channel.poll()).isNull();
		assertThat(channel.isOpen()).isTrue();
	}

	@Test
	void onDataOnMasterReceivesWhatTheWorkerPutsInOrder() {
		task.emit(500);
		await().atMost(Duration.ofSeconds(30)).until(() -> task.receivedOnMaster().size() == 500);
		long workerPid = task.pid();
		for (int i = 0; i < 500; i++) {
			assertThat(task.receivedOnMaster().get(i)).isEqualTo(new Pose(i, workerPid, 0));
		}
	}

	@Test
	void callBlockedOnTheChannelDoesNotStallOtherCallsOrData() throws Exception {
		java.util.concurrent.CompletableFuture<Double> blocked = java.util.concurrent.CompletableFuture
			.supplyAsync(task::takeNext);
		// While takeNext waits on the worker for data, calls and data still flow.
		assertThat(task.inc(1)).isEqualTo(2);
		WorkerChannel channel = context.getBean(VmDispatcher.class).worker("echoTask").channel();
		channel.put("still flowing");
		assertThat((String) channel.next(Duration.ofSeconds(30))).isEqualTo("still flowing!");
		channel.put(3.5);
		assertThat(blocked.get(30, TimeUnit.SECONDS)).isEqualTo(3.5);
	}

	@Test
	void channelFilesAreOwnerOnly() throws Exception {
		assertThat(Workers.channelFiles()).hasSize(2).allSatisfy((file) -> assertThat(
				java.nio.file.Files.getPosixFilePermissions(file))
			.isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
	}

	@Test
	void handleShowsReadyWorkerWithStatistics() {
		task.inc(1);
		WorkerHandle handle = context.getBean(VmDispatcher.class).worker("echoTask");
		assertThat(handle.state()).isEqualTo(WorkerState.READY);
		assertThat(handle.startCount()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(handle.statistics().callsCompleted()).isPositive());
		assertThat(handle.statistics().messagesToWorker()).isPositive();
		assertThat(handle.statistics().capacity()).isEqualTo(512 * 1024);
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> context.getBean(VmDispatcher.class).worker("nope"))
			.withMessageContaining("echoTask");
	}

}
