package io.vmworkers.it.supervision;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShutdownIntegrationTests {

	@Test
	void closingUnderLoadFailsInFlightCallsAndLeavesNothing() throws Exception {
		ConfigurableApplicationContext context = Workers.start(SupervisionApplication.class,
				"vmworkers.shutdown-timeout=2s");
		CrashTask task = context.getBean(CrashTask.class);
		long workerPid = task.pid();
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicLong completed = new AtomicLong();
		List<CompletableFuture<Void>> callers = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			callers.add(CompletableFuture.runAsync(() -> {
				while (running.get()) {
					try {
						task.pid();
						completed.incrementAndGet();
					}
					catch (RuntimeException ex) {
						// Calls in flight when the worker goes fail: the point is that they end.
						running.set(false);
					}
				}
			}));
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> completed.get() >= 1000);
		long start = System.nanoTime();
		context.close();
		System.out.printf("closed under load in %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
		running.set(false);
		CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
		assertThat(Workers.hasExited(workerPid)).isTrue();
		assertThat(Workers.children()).isEmpty();
		assertThat(Workers.leftovers()).isEmpty();
	}

	@Test
	void workerThatCannotBeAskedIsTerminatedAfterTheShutdownTimeout() throws Exception {
		ConfigurableApplicationContext context = Workers.start(SupervisionApplication.class,
				"vmworkers.shutdown-timeout=1s", "vmworkers.heartbeat-timeout=60s");
		long workerPid = context.getBean(VmDispatcher.class).worker("crashTask").pid();
		// A stopped process reads nothing and handles no SIGTERM: only SIGKILL ends it.
		assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(workerPid)).start().waitFor()).isZero();
		long start = System.nanoTime();
		context.close();
		long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		System.out.printf("closed with a stopped worker in %d ms (shutdown-timeout 1 s)%n", elapsed);
		assertThat(Workers.hasExited(workerPid)).isTrue();
		assertThat(Workers.children()).isEmpty();
		assertThat(Workers.leftovers()).isEmpty();
		assertThat(Duration.ofMillis(elapsed)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
	}

}
