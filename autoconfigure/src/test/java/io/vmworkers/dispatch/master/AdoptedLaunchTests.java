package io.vmworkers.dispatch.master;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.vmworkers.codec.ClassAllowList;
import io.vmworkers.codec.KryoCodec;
import io.vmworkers.dispatch.PoolSettings;
import io.vmworkers.dispatch.RestartPolicy;
import io.vmworkers.dispatch.WorkerContext;
import io.vmworkers.dispatch.WorkerSettings;
import io.vmworkers.dispatch.WorkerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker that adopted a process launched before the dispatcher, and is closed before it
 * connects to it (the dispatcher stopped first), takes that process and its files down too.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdoptedLaunchTests {

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

	@AfterEach
	void shutdown() {
		this.scheduler.shutdownNow();
	}

	@Test
	void closingAWorkerThatNeverConnectedStopsTheProcessItAdopted() throws Exception {
		WorkerSettings settings = new WorkerSettings(Path.of("/dev/shm"), 64 * 1024, Duration.ofSeconds(5),
				Duration.ZERO, List.of("-Xmx32m"), false, Duration.ofSeconds(30), Duration.ofSeconds(2),
				Duration.ZERO, Duration.ofSeconds(10), RestartPolicy.NEVER, null, WorkerContext.APPLICATION);
		// Object is no application: the process only has to exist until it is discarded.
		WorkerLauncher launcher = new WorkerLauncher(Object.class.getName(), Map.of(), List.of(), List.of(), List.of(),
				(name, error, line) -> {
				}, null);
		KryoCodec codec = new KryoCodec(new ClassAllowList(List.of()), getClass().getClassLoader(), 1 << 20);
		WorkerPool worker = new WorkerPool("adoptedTest", Object.class, settings, PoolSettings.SINGLE, launcher, codec,
				this.scheduler);
		Launch launch = Launch.start("adoptedTest", settings, launcher);
		long pid = launch.launched().process().pid();
		Path toWorker = launch.toWorker().file();
		worker.adopt(List.of(launch));
		worker.close();
		assertThat(worker.state()).isEqualTo(WorkerState.STOPPED);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
		assertThat(toWorker).doesNotExist();
		assertThat(Files.exists(launch.fromWorker().file())).isFalse();
	}

}
