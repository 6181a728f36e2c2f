package io.vmworkers.process;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WorkerCommandTests {

	@Test
	void explodedClassPathCommandHasFixedOrder() {
		WorkerCommand command = WorkerCommand.builder()
			.javaExecutable("/jdk/bin/java")
			.jvmOptions(List.of("-Xmx64m", "-XX:+UseSerialGC"))
			.systemProperty("vmworkers.worker.name", "counter")
			.systemProperty("vmworkers.role", "worker")
			.classPath("a.jar:classes")
			.mainClass("io.vmworkers.dispatch.worker.WorkerMain")
			.arguments(List.of("--x=1"))
			.build();
		assertThat(command.needsArgumentFile()).isFalse();
		assertThat(command.command(null)).containsExactly("/jdk/bin/java", "-Xmx64m", "-XX:+UseSerialGC",
				"-Dvmworkers.role=worker", "-Dvmworkers.worker.name=counter", "-cp", "a.jar:classes",
				"io.vmworkers.dispatch.worker.WorkerMain", "--x=1");
	}

	@Test
	void cpusPinTheWholeJvmThroughTaskset() {
		WorkerCommand command = WorkerCommand.builder().javaExecutable("java").cpus("1,3-4").classPath("a.jar").mainClass("M").build();
		assertThat(command.command(null)).containsExactly("taskset", "-c", "1,3-4", "java", "-cp", "a.jar", "M");
	}

	@Test
	void aCpuListTasksetWouldNotTakeIsRefusedNamingTheProperty() {
		for (String wrong : List.of("", "1-", "one", "1;2", "-1", "1,,2")) {
			assertThatIllegalArgumentException().isThrownBy(() -> WorkerCommand.checkCpuList(wrong, "vmworkers.cpus"))
				.withMessageContaining("vmworkers.cpus")
				.withMessageContaining("such as 1 or 0-1,3");
		}
		WorkerCommand.checkCpuList("0", "vmworkers.cpus");
		WorkerCommand.checkCpuList("0-1,3,5-7", "vmworkers.cpus");
	}

	@Test
	void bootJarRunsMainClassThroughPropertiesLauncher() {
		WorkerCommand command = WorkerCommand.builder()
			.javaExecutable("java")
			.bootJar(Path.of("/apps/app.jar"))
			.mainClass("io.vmworkers.dispatch.worker.WorkerMain")
			.build();
		assertThat(command.command(null)).containsExactly("java",
				"-Dloader.main=io.vmworkers.dispatch.worker.WorkerMain", "-cp", "/apps/app.jar", "org.springframework.boot.loader.launch.PropertiesLauncher");
	}

	@Test
	void longClassPathGoesIntoArgumentFile() {
		String classPath = "x".repeat(WorkerCommand.MAX_INLINE_CLASS_PATH + 1);
		WorkerCommand command = WorkerCommand.builder().javaExecutable("java").classPath(classPath).mainClass("M").build();
		assertThat(command.needsArgumentFile()).isTrue();
		assertThat(command.command(Path.of("/tmp/cp.args"))).containsExactly("java", "@/tmp/cp.args", "M");
		assertThat(command.argumentFileContent()).isEqualTo("-cp \"" + classPath + "\"\n");
	}

	@Test
	void processBuilderKeepsStdinAsPipe() {
		ProcessBuilder builder = WorkerCommand.builder().javaExecutable("java").classPath("c").mainClass("M").build()
			.toProcessBuilder(null);
		assertThat(builder.redirectInput()).isEqualTo(ProcessBuilder.Redirect.PIPE);
	}

	@Test
	void classPathAndBootJarAreExclusive() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> WorkerCommand.builder().javaExecutable("java").mainClass("M").build())
			.withMessageContaining("exactly one of classPath and bootJar");
	}

	@Test
	void jvmOptionsWrittenAsOneWithSpacesAreRefusedWithTheCommaSeparatedForm() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> WorkerCommand.checkJvmOption("-Xmx128m -XX:+UseZGC  -Dmode=fast",
					"vmworkers.workers.task.jvm-options"))
			.withMessageContaining("looks like several JVM options in one")
			.withMessageContaining("(-Xmx128m,-XX:+UseZGC,-Dmode=fast)")
			.withMessageContaining("vmworkers.workers.task.jvm-options[0]");
		assertThatIllegalArgumentException().isThrownBy(() -> WorkerCommand.checkJvmOption("Xmx128m", "vmworkers.jvm-options"))
			.withMessageContaining("is not a JVM option")
			.withMessageContaining("start with '-'");
		assertThatIllegalArgumentException().isThrownBy(() -> WorkerCommand.checkJvmOption(" ", "vmworkers.jvm-options"));
		// A system property whose value holds spaces, and an argument file, are single options.
		WorkerCommand.checkJvmOption("-Dgreeting=hello world -- see you", "vmworkers.jvm-options");
		WorkerCommand.checkJvmOption("-XX:OnOutOfMemoryError=kill -9 %p", "vmworkers.jvm-options");
		WorkerCommand.checkJvmOption("@/etc/worker.args", "vmworkers.jvm-options");
	}

}
