package io.vmworkers.it.inprocess;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;
import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A worker in process restarts as a process does and leaves no thread behind when it ends. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InProcessLifecycleIntegrationTests {

	@Test
	void restartStartsAFreshTaskAndCloseEndsEveryThreadOfTheWorker() {
		List<String> before = vmworkersThreads();
		ConfigurableApplicationContext context = new SpringApplicationBuilder(InProcessApplication.class)
			.web(WebApplicationType.NONE)
			.properties("vmworkers.mode=in-process", "spring.main.banner-mode=off")
			.run();
		try {
			PingPongTask task = context.getBean(PingPongTask.class);
			WorkerHandle handle = context.getBean(VmDispatcher.class).worker("pingPongTask");
			assertThat(task.run(10)).isEqualTo(19);
			assertThat((Integer) handle.channel().next(Duration.ofSeconds(10))).isEqualTo(21);
			assertThat(task.dataThread()).isNotNull();
			handle.restart();
			assertThat(handle.state()).isEqualTo(WorkerState.READY);
			assertThat(handle.startCount()).isEqualTo(2);
			// A fresh task: no data has reached it yet.
			assertThat(task.dataThread()).isNull();
			assertThat(task.greeting("again")).isEqualTo("hello again");
			// The worker's contexts, started twice, are not the master's.
			assertThat(context.getBean(InProcessApplication.RefreshCounter.class).refreshes).hasValue(1);
			assertThat(Workers.children()).isEmpty();
		}
		finally {
			context.close();
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(before).containsAll(vmworkersThreads()));
		assertThat(Workers.leftovers()).isEmpty();
	}

	@Test
	void aPoolRunsEachReplicaInAContextOfItsOwn() {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(InProcessApplication.class)
			.web(WebApplicationType.NONE)
			.properties("vmworkers.mode=in-process", "spring.main.banner-mode=off",
					"vmworkers.workers.pingPongTask.replicas=2")
			.run();
		try {
			WorkerHandle handle = context.getBean(VmDispatcher.class).worker("pingPongTask");
			assertThat(handle.replicas()).hasSize(2)
				.allSatisfy((replica) -> assertThat(replica.state()).isEqualTo(WorkerState.READY));
			PingPongTask task = context.getBean(PingPongTask.class);
			// Two threads at once spread over both replicas; each answers on its own threads.
			List<String> threads = IntStream.range(0, 50)
				.parallel()
				.mapToObj((i) -> task.callerThread())
				.distinct()
				.toList();
			assertThat(threads).isNotEmpty().allMatch((name) -> name.startsWith("vmworkers-pingPongTask"));
			assertThat(task.greeting("pool")).isEqualTo("hello pool");
			assertThat(Workers.children()).isEmpty();
		}
		finally {
			context.close();
		}
	}

	/** The names of the live threads vmworkers started: the master's and, in process, the worker's. */
	private static List<String> vmworkersThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> name.startsWith("vmworkers-"))
			.toList();
	}

}
