package io.vmworkers.it.pool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.vmworkers.dispatch.ReplicaRole;
import io.vmworkers.dispatch.WorkerDiedException;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;
import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A replica killed with kill -9: what its calls, the other replicas' calls and the pool see. Each
 * test starts the pool it needs.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PoolFailoverIntegrationTests {

	/**
	 * Keeps a killed place down for a while without a spare, so that calls can be seen succeeding
	 * on the other replicas before it is back.
	 */
	private static final String LONG_BACKOFF = Pools.PREFIX + "restart.initial-backoff=5s";

	@Test
	void killedReplicaCostsOnlyItsCallsInFlightWhileTheOthersServe() throws Exception {
		ConfigurableApplicationContext context = Pools.start(Pools.PREFIX + "replicas=3", LONG_BACKOFF);
		try {
			PoolTask task = context.getBean(PoolTask.class);
			WorkerHandle handle = Pools.handle(context);
			List<Long> before = Pools.awaitReady(handle, 3, 0);
			long victim = before.get(1);
			List<Long> survivors = List.of(before.get(0), before.get(2));
			int starts = Pools.place(handle, 1).startCount();
			Callers callers = Callers.start("four callers, one replica of three killed", 4, () -> task.pidAfter(1));
			try {
				await().atMost(Duration.ofSeconds(60))
					.until(() -> callers.pids().containsAll(before) && callers.succeeded() >= 200);
				ProcessHandle.of(victim).orElseThrow().destroyForcibly();
				await().atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(5))
					.until(() -> Pools.place(handle, 1).state() != WorkerState.READY);
				long noticed = System.nanoTime();
				try (Callers.Window whileDown = callers.window()) {
					await().atMost(Duration.ofSeconds(30)).until(() -> whileDown.succeeded() >= 100);
					// Still down (its restart waits 5 s): the calls counted were answered meanwhile.
					assertThat(Pools.place(handle, 1).state()).isNotEqualTo(WorkerState.READY);
					assertThat(whileDown.pids()).isSubsetOf(survivors);
				}
				List<Long> after = Pools.awaitReady(handle, 3, 0);
				long replacement = after.get(1);
				assertThat(after).doesNotContain(victim).containsExactly(before.get(0), replacement, before.get(2));
				// Back to three serving.
				await().atMost(Duration.ofSeconds(30)).until(() -> callers.pids().contains(replacement));
				callers.close();
				assertThat(callers.failures()).as("only the calls in flight on the killed replica fail")
					.hasSizeLessThanOrEqualTo(4)
					.allSatisfy((failure) -> {
						assertThat(failure.exception()).isInstanceOf(WorkerDiedException.class);
						assertThat(((WorkerDiedException) failure.exception()).getPid()).isEqualTo(victim);
						assertThat(failure.startedNanos()).as("made before the master saw the exit")
							.isLessThan(noticed);
					});
				assertThat(callers.longestCall()).isLessThan(Callers.LONGEST_CALL_LIMIT);
				assertThat(Pools.place(handle, 1).startCount()).isEqualTo(starts + 1);
				assertThat(Pools.place(handle, 1).lastExit().pid()).isEqualTo(victim);
				assertThat(Pools.place(handle, 1).lastExit().expected()).isFalse();
			}
			finally {
				callers.close();
			}
		}
		finally {
			Workers.closeAndCheckNothingLeft(context);
		}
	}

	@Test
	void idempotentCallInFlightOnAKilledReplicaIsSentAgainToALiveOne(@TempDir Path directory) throws Exception {
		ConfigurableApplicationContext context = Pools.start(Pools.PREFIX + "replicas=2", LONG_BACKOFF);
		try {
			PoolTask task = context.getBean(PoolTask.class);
			WorkerHandle handle = Pools.handle(context);
			List<Long> before = Pools.awaitReady(handle, 2, 0);
			Path marker = directory.resolve("marker");
			Callers callers = Callers.start("two idempotent callers, one replica of two killed", 2,
					() -> task.idempotentPidAfter(1));
			try {
				await().atMost(Duration.ofSeconds(60)).until(() -> callers.pids().containsAll(before));
				CompletableFuture<Long> call = inThread(() -> task.pidOnceAfter(marker.toString(), 120_000));
				await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(marker));
				long victim = Long.parseLong(Files.readString(marker));
				long survivor = (victim == before.get(0)) ? before.get(1) : before.get(0);
				assertThat(before).contains(victim);
				ProcessHandle.of(victim).orElseThrow().destroyForcibly();
				// Sent again to the replica that lives, not kept for the killed place's restart.
				assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo(survivor);
				List<Long> after = Pools.awaitReady(handle, 2, 0);
				assertThat(after).doesNotContain(victim).contains(survivor);
				await().atMost(Duration.ofSeconds(30)).until(() -> callers.pids().containsAll(after));
				callers.close();
				assertThat(callers.failures()).isEmpty();
				assertThat(callers.longestCall()).isLessThan(Callers.LONGEST_CALL_LIMIT);
			}
			finally {
				callers.close();
			}
		}
		finally {
			Workers.closeAndCheckNothingLeft(context);
		}
	}

	@Test
	void spareTakesTheKilledReplicasPlaceAndANewSpareStarts() throws Exception {
		ConfigurableApplicationContext context = Pools.start(Pools.PREFIX + "replicas=1", Pools.PREFIX + "spares=1");
		try {
			PoolTask task = context.getBean(PoolTask.class);
			WorkerHandle handle = Pools.handle(context);
			long replicaPid = Pools.awaitReady(handle, 1, 1).get(0);
			long sparePid = Pools.pids(handle, ReplicaRole.SPARE).get(0);
			Callers beforeKill = Callers.start("four callers, the spare kept ready", 4, () -> task.pidAfter(1));
			try {
				await().atMost(Duration.ofSeconds(30)).until(() -> beforeKill.succeeded() >= 100);
			}
			finally {
				beforeKill.close();
			}
			assertThat(beforeKill.failures()).isEmpty();
			assertThat(beforeKill.pids()).as("the spare serves nothing").containsExactly(replicaPid);

			ProcessHandle.of(replicaPid).orElseThrow().destroyForcibly();
			long killed = System.nanoTime();
			List<WorkerDiedException> failed = new ArrayList<>();
			long answeredBy = 0;
			while (answeredBy == 0) {
				try {
					answeredBy = task.pid();
				}
				catch (WorkerDiedException ex) {
					// Sent before the master saw the exit: in flight on the killed process.
					failed.add(ex);
					assertThat(failed).as("calls failed after the kill").hasSizeLessThanOrEqualTo(1);
				}
			}
			System.out.printf("first call after kill -9 of the replica answered by the spare %d ms after the kill%n",
					TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
			assertThat(answeredBy).isEqualTo(sparePid);
			assertThat(failed).allSatisfy((ex) -> assertThat(ex.getPid()).isEqualTo(replicaPid));
			assertThat(Pools.place(handle, 0).pid()).isEqualTo(sparePid);
			assertThat(Pools.place(handle, 0).role()).isEqualTo(ReplicaRole.REPLICA);
			assertThat(handle.pid()).isEqualTo(sparePid);

			Pools.awaitReady(handle, 1, 1);
			long newSpare = Pools.pids(handle, ReplicaRole.SPARE).get(0);
			assertThat(newSpare).isNotIn(replicaPid, sparePid);
			assertThat(Pools.pids(handle, ReplicaRole.REPLICA)).containsExactly(sparePid);
			assertThat(handle.startCount()).isEqualTo(3);
			await().atMost(Duration.ofSeconds(10)).until(() -> Pools.place(handle, 0).lastExit() != null);
			assertThat(Pools.place(handle, 0).lastExit().pid()).isEqualTo(replicaPid);
			assertThat(task.pid()).isEqualTo(sparePid);
		}
		finally {
			Workers.closeAndCheckNothingLeft(context);
		}
	}

	private static <T> CompletableFuture<T> inThread(java.util.function.Supplier<T> call) {
		CompletableFuture<T> result = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				result.complete(call.get());
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		}, "pool-single-call");
		thread.setDaemon(true);
		thread.start();
		return result;
	}

}
