package io.vmworkers.it.pool;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.vmworkers.dispatch.RecycleInfo;
import io.vmworkers.dispatch.ReplicaHandle;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Healthy processes replaced by the limits of {@code vmworkers.workers.<name>.recycle.*}, drained
 * then stopped, while calls go on: none fails. Each test starts the pool it needs.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PoolRecyclingIntegrationTests {

	@Test
	void processIsRecycledAfterMaxCallsWithoutAFailedCall() throws Exception {
		ConfigurableApplicationContext context = Pools.start(Pools.PREFIX + "replicas=1",
				Pools.PREFIX + "recycle.max-calls=200");
		try {
			PoolTask task = context.getBean(PoolTask.class);
			WorkerHandle handle = Pools.handle(context);
			long first = Pools.awaitReady(handle, 1, 0).get(0);
			Callers callers = Callers.start("two callers, recycled every 200 calls", 2, () -> task.pidAfter(1));
			try {
				await().atMost(Duration.ofSeconds(150)).until(() -> callers.pids().size() >= 3);
			}
			finally {
				callers.close();
			}
			assertThat(callers.failures()).isEmpty();
			assertThat(callers.longestCall()).isLessThan(Callers.LONGEST_CALL_LIMIT);
			assertThat(callers.pids()).contains(first);
			ReplicaHandle place = Pools.place(handle, 0);
			RecycleInfo recycle = place.lastRecycle();
			assertThat(recycle).isNotNull();
			assertThat(recycle.reason()).contains("max-calls");
			assertThat(callers.pids()).contains(recycle.pid());
			assertThat(place.startCount()).isGreaterThanOrEqualTo(3);
			// Drained, then stopped: every process but the one serving now is gone, asked to go.
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				Set<Long> replaced = new HashSet<>(callers.pids());
				replaced.remove(Pools.place(handle, 0).pid());
				return replaced.stream().allMatch(Workers::hasExited);
			});
			await().atMost(Duration.ofSeconds(10)).until(() -> place.lastExit() != null);
			assertThat(place.lastExit().expected()).as(place.lastExit().description()).isTrue();
		}
		finally {
			Workers.closeAndCheckNothingLeft(context);
		}
	}

	@Test
	void processIsRecycledAboveMaxHeapUsedWithoutAFailedCall() throws Exception {
		ConfigurableApplicationContext context = Pools.start(Pools.PREFIX + "replicas=1",
				// Room for what the test keeps, above the limit, besides what the worker holds anyway.
				Pools.PREFIX + "jvm-options=-Xmx128m", Pools.PREFIX + "recycle.max-heap-used=40MB");
		try {
			PoolTask task = context.getBean(PoolTask.class);
			WorkerHandle handle = Pools.handle(context);
			long first = Pools.awaitReady(handle, 1, 0).get(0);
			Callers callers = Callers.start("one caller, recycled above 40 MB", 1, () -> task.pidAfter(5));
			try {
				await().atMost(Duration.ofSeconds(30)).until(() -> callers.succeeded() >= 20);
				assertThat(Pools.place(handle, 0).pid()).as("recycled before its heap grew").isEqualTo(first);
				assertThat(task.retainHeap(48)).isEqualTo(first);
				long replacement = await().atMost(Pools.STARTS)
					.until(() -> Pools.place(handle, 0).pid(), (pid) -> pid != first && Pools.isAlive(pid));
				await().atMost(Duration.ofSeconds(30)).until(() -> callers.pids().contains(replacement));
			}
			finally {
				callers.close();
			}
			assertThat(callers.failures()).isEmpty();
			assertThat(callers.longestCall()).isLessThan(Callers.LONGEST_CALL_LIMIT);
			RecycleInfo recycle = Pools.place(handle, 0).lastRecycle();
			assertThat(recycle).isNotNull();
			assertThat(recycle.pid()).isEqualTo(first);
			assertThat(recycle.reason()).contains("max-heap-used");
			Pools.awaitExited(Set.of(first));
		}
		finally {
			Workers.closeAndCheckNothingLeft(context);
		}
	}

	@Test
	void processIsRecycledAfterMaxAgeWithoutAFailedCall() throws Exception {
		ConfigurableApplicationContext context = Pools.start(Pools.PREFIX + "replicas=1",
				Pools.PREFIX + "recycle.max-age=5s");
		try {
			PoolTask task = context.getBean(PoolTask.class);
			WorkerHandle handle = Pools.handle(context);
			long first = Pools.awaitReady(handle, 1, 0).get(0);
			Callers callers = Callers.start("one caller, recycled every 5 s", 1, () -> task.pidAfter(5));
			try {
				await().atMost(Pools.STARTS).until(() -> callers.pids().stream().anyMatch((pid) -> pid != first));
			}
			finally {
				callers.close();
			}
			assertThat(callers.failures()).isEmpty();
			assertThat(callers.longestCall()).isLessThan(Callers.LONGEST_CALL_LIMIT);
			RecycleInfo recycle = Pools.place(handle, 0).lastRecycle();
			assertThat(recycle).isNotNull();
			assertThat(recycle.reason()).contains("max-age");
			assertThat(callers.pids()).contains(recycle.pid());
			Pools.awaitExited(Set.of(first));
		}
		finally {
			Workers.closeAndCheckNothingLeft(context);
		}
	}

}
