package io.vmworkers.dispatch.master;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import io.vmworkers.protocol.LaunchParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Processes launched before the dispatcher: adopted as they are by a dispatcher made from the same
 * launch plan, discarded by one made from another; and a worker that adopted one and is closed
 * before it connects to it (the dispatcher stopped first) takes that process and its files down too.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdoptedLaunchTests {

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

	private final KryoCodec codec = new KryoCodec(new ClassAllowList(List.of()), getClass().getClassLoader(), 1 << 20);

	@TempDir
	Path pauseDirectory;

	@AfterEach
	void shutdown() {
		this.scheduler.shutdownNow();
	}

	@Test
	void closingAWorkerThatNeverConnectedStopsTheProcessItAdopted() throws Exception {
		WorkerSettings settings = settings(List.of("-Xmx32m"));
		// Object is no application: the process only has to exist until it is discarded.
		WorkerLauncher launcher = new WorkerLauncher(plan("adoptedTest", settings), (name, error, line) -> {
		});
		WorkerPool worker = new WorkerPool("adoptedTest", Object.class, settings, PoolSettings.SINGLE, launcher,
				this.codec, this.scheduler);
		Launch launch = Launch.start("adoptedTest", -1, settings, launcher);
		long pid = launch.launched().process().pid();
		Path toWorker = launch.toWorker().file();
		worker.adopt(List.of(launch));
		worker.close();
		assertThat(worker.state()).isEqualTo(WorkerState.STOPPED);
		awaitExit(pid);
		assertThat(toWorker).doesNotExist();
		assertThat(Files.exists(launch.fromWorker().file())).isFalse();
	}

	@Test
	void aDispatcherAdoptsWhatWasLaunchedEarlyFromItsOwnPlan() throws Exception {
		LaunchPlan plan = plan("earlyOwnPlan", settings(pausedJvmOptions()));
		EarlyLaunches early = new EarlyLaunches(plan);
		DefaultVmDispatcher dispatcher = new DefaultVmDispatcher(plan, this.codec);
		try {
			early.launch();
			long pid = launchedPid("earlyOwnPlan");
			dispatcher.adopt(early);
			assertThat(early.take("earlyOwnPlan")).isEmpty();
			dispatcher.afterPropertiesSet();
			assertThat(dispatcher.worker("earlyOwnPlan").replicas().get(0).pid()).isEqualTo(pid);
			assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).hasValue(true);
			dispatcher.stop();
			awaitExit(pid);
		}
		finally {
			early.close();
			dispatcher.destroy();
		}
	}

	@Test
	void aDispatcherMadeFromAnotherPlanDiscardsWhatWasLaunchedEarly() throws Exception {
		WorkerSettings settings = settings(pausedJvmOptions());
		EarlyLaunches early = new EarlyLaunches(plan("earlyOtherPlan", settings));
		// Equal in every field, and still another plan: the dispatcher does not compare them.
		DefaultVmDispatcher dispatcher = new DefaultVmDispatcher(plan("earlyOtherPlan", settings), this.codec);
		try {
			early.launch();
			long pid = launchedPid("earlyOtherPlan");
			dispatcher.adopt(early);
			awaitExit(pid);
			assertThat(early.take("earlyOtherPlan")).isEmpty();
		}
		finally {
			early.close();
			dispatcher.destroy();
		}
	}

	/** Options that hold the JVM at its start until killed, so it is alive whatever it runs. */
	private List<String> pausedJvmOptions() throws Exception {
		Path pause = Files.createFile(this.pauseDirectory.resolve("paused"));
		return List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+PauseAtStartup", "-XX:PauseAtStartupFile=" + pause,
				"-Xmx32m");
	}

	private static LaunchPlan plan(String name, WorkerSettings settings) {
		return new LaunchPlan(Object.class.getName(), List.of(), List.of(), List.of(), null,
				Map.of(name, new LaunchPlan.Worker(Object.class, settings, PoolSettings.SINGLE)));
	}

	private static WorkerSettings settings(List<String> jvmOptions) {
		return new WorkerSettings(Path.of("/dev/shm"), 64 * 1024, Duration.ofSeconds(5), Duration.ZERO, jvmOptions,
				false, Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ZERO, Duration.ofSeconds(10),
				RestartPolicy.NEVER, null, WorkerContext.APPLICATION);
	}

	/** The pid of the worker's process, once it runs java (it is a spawn helper for a moment). */
	private static long launchedPid(String name) {
		String argument = "-D" + LaunchParameters.NAME_PROPERTY + "=" + name;
		return await().atMost(Duration.ofSeconds(10))
			.until(() -> ProcessHandle.current()
				.children()
				.filter((child) -> commandLine(child).contains(argument))
				.findFirst(), Optional::isPresent)
			.orElseThrow()
			.pid();
	}

	/** Read from /proc: {@code ProcessHandle.Info} has none past 4 KiB. */
	private static List<String> commandLine(ProcessHandle process) {
		try {
			return List.of(Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"),
					StandardCharsets.ISO_8859_1).split("\0"));
		}
		catch (IOException ex) {
			return List.of();
		}
	}

	private static void awaitExit(long pid) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
	}

}
