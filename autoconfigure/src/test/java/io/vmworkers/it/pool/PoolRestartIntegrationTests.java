package io.vmworkers.it.pool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.vmworkers.channel.WorkerChannel;
import io.vmworkers.dispatch.ReplicaHandle;
import io.vmworkers.dispatch.ReplicaRole;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;
import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Restarts asked of a pool while calls go on: one process at a time, drain-then-replace, no failed
 * call. Each test starts the pool {@code @WorkerTask(replicas = 2)} asks for.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PoolRestartIntegrationTests {

	/** Longer than a hand-over to a ready spare takes on a loaded machine, by far. */
	private static final int SLOW_CALL_MILLIS = 15_000;

	@Test
	void restartOfAPoolReplacesEveryReplicaWithoutAFailedCall() throws Exception {
		// No replicas property: the annotation's two.
		ConfigurableApplicationContext context = Pools.start();
		try {
			PoolTask task = context.getBean(PoolTask.class);
			WorkerHandle handle = Pools.handle(context);
			List<Long> before = Pools.awaitReady(handle, 2, 0);
			assertThat(handle.replicas()).extracting(ReplicaHandle::role)
				.containsExactly(ReplicaRole.REPLICA, ReplicaRole.REPLICA);
			Callers callers = Callers.start("two callers, rolling restart of two replicas", 2,
					() -> task.pidAfter(1));
			List<Long> after;
			try {
				await().atMost(Duration.ofSeconds(60)).until(() -> callers.pids().containsAll(before));
				long start = System.nanoTime();
				handle.restart();
				System.out.printf("rolling restart of two replicas took %d ms%n",
						TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
				assertThat(handle.replicas())
					.allSatisfy((place) -> assertThat(place.state()).isEqualTo(WorkerState.READY));
				after = Pools.pids(handle, ReplicaRole.REPLICA);
				assertThat(after).hasSize(2).doesNotHaveDuplicates().doesNotContainAnyElementsOf(before);
				await().atMost(Duration.ofSeconds(30)).until(() -> callers.pids().containsAll(after));
			}
			finally {
				callers.close();
			}
			assertThat(callers.failures()).isEmpty();
			assertThat(callers.longestCall()).isLessThan(Callers.LONGEST_CALL_LIMIT);
			Pools.awaitExited(before);
			assertThat(Pools.pids(handle, ReplicaRole.REPLICA)).isEqualTo(after);
			// Asked to stop, once drained.
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(handle.replicas()).allSatisfy((place) -> {
					assertThat(place.startCount()).isEqualTo(2);
					assertThat(place.lastExit()).isNotNull();
					assertThat(place.lastExit().pid()).isIn(before);
					assertThat(place.lastExit().expected()).isTrue();
				}));
		}
		finally {
			Workers.closeAndCheckNothingLeft(context);
		}
	}

	@Test
	void restartOfAReplicaReplacesThatReplicaOnlyWithoutAFailedCall() throws Exception {
		ConfigurableApplicationContext context = Pools.start();
		try {
			PoolTask task = context.getBean(PoolTask.class);
			WorkerHandle handle = Pools.handle(context);
			List<Long> before = Pools.awaitReady(handle, 2, 0);
			Callers callers = Callers.start("two callers, restart of one replica of two", 2,
					() -> task.pidAfter(1));
			long replacement;
			try {
				await().atMost(Duration.ofSeconds(60)).until(() -> callers.pids().containsAll(before));
				Pools.place(handle, 1).restart();
				replacement = Pools.place(handle, 1).pid();
				assertThat(replacement).isNotIn(before);
				assertThat(Pools.place(handle, 1).state()).isEqualTo(WorkerState.READY);
				assertThat(Pools.place(handle, 0).pid()).isEqualTo(before.get(0));
				await().atMost(Duration.ofSeconds(30)).until(() -> callers.pids().contains(replacement));
			}
			finally {
				callers.close();
			}
			assertThat(callers.failures()).isEmpty();
			assertThat(callers.longestCall()).isLessThan(Callers.LONGEST_CALL_LIMIT);
			Pools.awaitExited(List.of(before.get(1)));
			assertThat(Pools.isAlive(before.get(0))).isTrue();
			assertThat(Pools.pids(handle, ReplicaRole.REPLICA)).containsExactly(before.get(0), replacement);
			assertThat(Pools.place(handle, 0).startCount()).isEqualTo(1);
			assertThat(Pools.place(handle, 1).startCount()).isEqualTo(2);
		}
		finally {
			Workers.closeAndCheckNothingLeft(context);
		}
	}

	@Test
	void rollingRestartWithASpareTakesItAndReplacesEveryReplicaWithoutAFailedCall() throws Exception {
		ConfigurableApplicationContext context = Pools.start(Pools.PREFIX + "spares=1");
		try {
			PoolTask task = context.getBean(PoolTask.class);
			WorkerHandle handle = Pools.handle(context);
			List<Long> before = Pools.awaitReady(handle, 2, 1);
			long spare = Pools.pids(handle, ReplicaRole.SPARE).get(0);
			Callers callers = Callers.start("two callers, rolling restart of two replicas and a spare", 2,
					() -> task.pidAfter(1));
			try {
				await().atMost(Duration.ofSeconds(60)).until(() -> callers.pids().containsAll(before));
				handle.restart();
			}
			finally {
				callers.close();
			}
			assertThat(callers.failures()).isEmpty();
			// The spare served first, in the first replica's place; the replicas were replaced.
			assertThat(Pools.pids(handle, ReplicaRole.REPLICA)).contains(spare).doesNotContainAnyElementsOf(before);
			Pools.awaitExited(before);
			// Back to its shape, a fresh spare included.
			Pools.awaitReady(handle, 2, 1);
			assertThat(Pools.pids(handle, ReplicaRole.SPARE)).doesNotContain(spare).doesNotContainAnyElementsOf(before);
		}
		finally {
			Workers.closeAndCheckNothingLeft(context);
		}
	}

	@Test
	void restartWithASpareAnswersOnceTheSpareServesWhileTheOldProcessFinishesItsCall() throws Exception {
		ConfigurableApplicationContext context = Pools.start(Pools.PREFIX + "replicas=1", Pools.PREFIX + "spares=1");
		try {
			PoolTask task = context.getBean(PoolTask.class);
			WorkerHandle handle = Pools.handle(context);
			long old = Pools.awaitReady(handle, 1, 1).get(0);
			long spare = Pools.pids(handle, ReplicaRole.SPARE).get(0);
			CompletableFuture<Long> slow = CompletableFuture.supplyAsync(() -> task.pidAfter(SLOW_CALL_MILLIS));
			await().atMost(Duration.ofSeconds(30)).until(() -> Pools.place(handle, 0).callsInFlight() == 1);
			handle.restart();
			// The restart did not wait for the old process's call: only for the spare to take its place.
			assertThat(slow).isNotDone();
			assertThat(Pools.pids(handle, ReplicaRole.REPLICA)).containsExactly(spare);
			assertThat(task.pid()).isEqualTo(spare);
			assertThat(Pools.isAlive(old)).isTrue();
			// The old process finishes its call, then stops.
			assertThat(slow.get(60, TimeUnit.SECONDS)).isEqualTo(old);
			Pools.awaitExited(List.of(old));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(Pools.place(handle, 0).lastExit()).satisfies((exit) -> {
					assertThat(exit.pid()).isEqualTo(old);
					assertThat(exit.expected()).isTrue();
				}));
			Pools.awaitReady(handle, 1, 1);
		}
		finally {
			Workers.closeAndCheckNothingLeft(context);
		}
	}

	@Test
	void aReplacedProcessThatHandledDataStopsOnceDrainedNotAtTheShutdownTimeout() throws Exception {
		ConfigurableApplicationContext context = Pools.start(Pools.PREFIX + "replicas=1", Pools.PREFIX + "spares=1",
				"vmworkers.shutdown-timeout=60s");
		try {
			WorkerHandle handle = Pools.handle(context);
			long old = Pools.awaitReady(handle, 1, 1).get(0);
			WorkerChannel channel = Pools.place(handle, 0).channel();
			// Far less than a ring's worth: the worker's credit for it rides on a heartbeat.
			for (int i = 0; i < 5; i++) {
				channel.put(new Ping(i));
			}
			for (int i = 0; i < 5; i++) {
				assertThat((Pong) channel.next(Duration.ofSeconds(30))).isEqualTo(new Pong(i, old));
			}
			handle.restart();
			// A drain that took the data for unconsumed would keep the process for the 60 s timeout.
			await().atMost(Duration.ofSeconds(30)).until(() -> !Pools.isAlive(old));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(Pools.place(handle, 0).lastExit()).satisfies((exit) -> {
					assertThat(exit.pid()).isEqualTo(old);
					assertThat(exit.expected()).isTrue();
				}));
		}
		finally {
			Workers.closeAndCheckNothingLeft(context);
		}
	}

	@Test
	void closingWhileAReplacementStartsLeavesNothingBehind() throws Exception {
		// Recycled as soon as the watch looks: a replacement JVM starts beside the serving one.
		ConfigurableApplicationContext context = Pools.start(Pools.PREFIX + "replicas=1",
				Pools.PREFIX + "recycle.max-age=1ms");
		try {
			WorkerHandle handle = Pools.handle(context);
			Pools.awaitReady(handle, 1, 0);
			await().atMost(Duration.ofSeconds(30)).until(() -> Workers.children().size() >= 2);
		}
		finally {
			// Closes with the replacement still starting (or just swapped in): both go, and their files.
			Workers.closeAndCheckNothingLeft(context);
		}
	}

}
