package io.vmworkers.dispatch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class WorkerLauncherTests {

	private static final Path IN = Path.of("/dev/shm/in");

	private static final Path OUT = Path.of("/dev/shm/out");

	private final WorkerLauncher launcher = new WorkerLauncher("com.acme.Application",
			Map.of("robot", "com.acme.RobotTask"), List.of("com.acme", "com.acme.shapes"), List.of("--acme.mode=fast"),
			List.of(), (name, error, line) -> {
			}, null);

	@Test
	void aTaskContextPassesTheTaskClassToTheWorker() {
		assertThat(command("robot", WorkerContext.TASK)).contains("-Dvmworkers.worker.task-class=com.acme.RobotTask",
				"-Dvmworkers.worker.packages=com.acme,com.acme.shapes", "-Dvmworkers.worker.source=com.acme.Application",
				"--acme.mode=fast");
	}

	@Test
	void anApplicationContextRunsTheApplicationClassOnly() {
		assertThat(command("robot", WorkerContext.APPLICATION)).contains("-Dvmworkers.worker.source=com.acme.Application")
			.noneMatch((argument) -> argument.startsWith("-Dvmworkers.worker.task-class")
					|| argument.startsWith("-Dvmworkers.worker.packages"));
	}

	@Test
	void aTaskContextForAnUnknownWorkerIsRefused() {
		assertThatIllegalStateException().isThrownBy(() -> command("other", WorkerContext.TASK))
			.withMessageContaining("no @WorkerTask class is known for worker 'other'");
	}

	@Test
	void launchersWithOtherTaskClassesDoNotLaunchAlike() {
		WorkerLauncher other = new WorkerLauncher("com.acme.Application", Map.of("robot", "com.acme.OtherTask"),
				List.of("com.acme", "com.acme.shapes"), List.of("--acme.mode=fast"), List.of(), (name, error, line) -> {
				}, null);
		WorkerLauncher otherPackages = new WorkerLauncher("com.acme.Application",
				Map.of("robot", "com.acme.RobotTask"), List.of("com.acme"), List.of("--acme.mode=fast"), List.of(),
				(name, error, line) -> {
				}, null);
		WorkerLauncher same = new WorkerLauncher("com.acme.Application", Map.of("robot", "com.acme.RobotTask"),
				List.of("com.acme", "com.acme.shapes"), List.of("--acme.mode=fast"), List.of(), (name, error, line) -> {
				}, null);
		assertThat(this.launcher.launchesLike(other)).isFalse();
		assertThat(this.launcher.launchesLike(otherPackages)).isFalse();
		assertThat(this.launcher.launchesLike(same)).isTrue();
	}

	private List<String> command(String name, WorkerContext context) {
		WorkerSettings settings = new WorkerSettings(Path.of("/dev/shm"), 64 * 1024, Duration.ofSeconds(5),
				Duration.ZERO, List.of("-Xmx32m"), false, Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ZERO,
				Duration.ofSeconds(10), RestartPolicy.NEVER, null, context);
		return this.launcher.command(name, settings, IN, OUT).command().command(null);
	}

}
