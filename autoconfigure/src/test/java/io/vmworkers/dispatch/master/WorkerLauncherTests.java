package io.vmworkers.dispatch.master;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import io.vmworkers.dispatch.PoolSettings;
import io.vmworkers.dispatch.RestartPolicy;
import io.vmworkers.dispatch.WorkerContext;
import io.vmworkers.dispatch.WorkerSettings;
import io.vmworkers.dispatch.worker.WorkerMain;
import io.vmworkers.process.ClassDataSharing;
import io.vmworkers.process.ProcessStart;
import io.vmworkers.protocol.LaunchParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class WorkerLauncherTests {

	private static final Map<String, String> CHANNEL = Map.of(LaunchParameters.INBOUND_PROPERTY, "/dev/shm/in",
			LaunchParameters.OUTBOUND_PROPERTY, "/dev/shm/out");


	private final WorkerLauncher launcher = new WorkerLauncher(
			plan(List.of("com.acme", "com.acme.shapes"), List.of("--acme.mode=fast"), null), (name, error, line) -> {
			});

	@Test
	void aTaskContextPassesTheTaskClassToTheWorker() {
		assertThat(command("robot", WorkerContext.TASK)).contains("-Dvmworkers.worker.task-class=" + RobotTask.class.getName(),
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
	void theWorkerIsToldTheMastersPidAndItsStartInClockTicks() {
		long start = ProcessStart.ofCurrent().orElseThrow();
		assertThat(command("robot", WorkerContext.APPLICATION)).contains(
				"-Dvmworkers.worker.master-pid=" + ProcessHandle.current().pid(),
				"-Dvmworkers.worker.master-start-ticks=" + start);
	}

	@Test
	void theWorkerRunsWorkerMainNamedByItsLaunchParameters() {
		assertThat(command("robot", WorkerContext.APPLICATION)).contains(WorkerMain.class.getName());
	}

	@Test
	void aWorkerStartsWithoutAPerformanceDataFileUnlessItsOptionsSayOtherwise() {
		List<String> command = command("robot", WorkerContext.APPLICATION);
		// Before the configured options, so that -XX:+UsePerfData among them wins.
		assertThat(command).containsSubsequence("-XX:-UsePerfData", "-Xmx32m");
	}

	@Test
	void aTaskContextForAnUnknownWorkerIsRefused() {
		assertThatIllegalStateException().isThrownBy(() -> command("other", WorkerContext.TASK))
			.withMessageContaining("no @WorkerTask class is known for worker 'other'");
	}

	@Test
	void aTaskContextHasAClassDataSharingArchiveOfItsOwn(@TempDir Path temp) throws IOException {
		Path jar = temp.resolve("application.jar");
		try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
			out.putNextEntry(new JarEntry("com/acme/"));
		}
		Path cache = Files.createDirectory(temp.resolve("cds"), PosixFilePermissions
			.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		String classPath = System.getProperty("java.class.path");
		System.setProperty("java.class.path", jar.toString());
		try {
			Path task = archive(cache, WorkerContext.TASK);
			Path application = archive(cache, WorkerContext.APPLICATION);
			assertThat(task).isNotNull().isNotEqualTo(application);
			assertThat(application).isNotNull();
			assertThat(archive(cache, WorkerContext.TASK)).isEqualTo(task);
		}
		finally {
			System.setProperty("java.class.path", classPath);
		}
	}

	/** The archive a fresh launcher's first launch of 'robot' would write, so no launch is training already. */
	private static Path archive(Path cache, WorkerContext context) {
		WorkerLauncher launcher = new WorkerLauncher(plan(List.of("com.acme"), List.of(), new ClassDataSharing(cache)),
				(name, error, line) -> {
				});
		ClassDataSharing.Plan sharing = launcher.command("robot", settings(context), CHANNEL).sharing();
		assertThat(sharing.use()).isEqualTo(ClassDataSharing.Use.TRAIN);
		return sharing.archive();
	}

	private static LaunchPlan plan(List<String> packages, List<String> arguments, ClassDataSharing sharing) {
		return new LaunchPlan("com.acme.Application", packages, arguments, List.of(), sharing,
				Map.of("robot", new LaunchPlan.Worker(RobotTask.class, settings(WorkerContext.TASK), PoolSettings.SINGLE)));
	}

	private List<String> command(String name, WorkerContext context) {
		return this.launcher.command(name, settings(context), CHANNEL).command().command(null);
	}

	private static WorkerSettings settings(WorkerContext context) {
		return new WorkerSettings(Path.of("/dev/shm"), 64 * 1024, Duration.ofSeconds(5), Duration.ZERO,
				List.of("-Xmx32m"), false, Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ZERO,
				Duration.ofSeconds(10), RestartPolicy.NEVER, null, context);
	}

	static class RobotTask {

	}

}
