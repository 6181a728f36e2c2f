package io.vmworkers.it.compose;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring Boot's Docker Compose support in an application with a worker: the master manages the
 * services, the worker never calls docker. The fake docker that the
 * build puts first on the PATH (written here) records each call with the pid of the JVM that made
 * it, and answers as a Docker with the compose file's service defined and not running.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DockerComposeIntegrationTests {

	private static final String FAKE_DOCKER = """
			#!/usr/bin/env bash
			echo "$PPID $*" >> "$FAKE_DOCKER_LOG"
			case "$*" in
			  "version --format"*) echo "27.0.0" ;;
			  "compose version --format json") echo '{"version":"v2.29.0"}' ;;
			  *" config --format=json") echo '{"name":"fake","services":{"cache":{"image":"redis:7"}}}' ;;
			  *" ps "*) echo '[]' ;;
			esac
			exit 0
			""";

	private Path log;

	private final List<String> output = new CopyOnWriteArrayList<>();

	private Process master;

	@BeforeEach
	void writeFakeDocker() throws IOException {
		String log = System.getenv("FAKE_DOCKER_LOG");
		Assumptions.assumeTrue(log != null, "run by the build's docker-compose test execution, which sets the PATH");
		this.log = Path.of(log);
		Path directory = this.log.getParent();
		Files.createDirectories(directory);
		Path docker = directory.resolve("docker");
		Files.writeString(docker, FAKE_DOCKER);
		Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwx------"));
		Files.deleteIfExists(this.log);
	}

	@AfterEach
	void killMaster() throws InterruptedException {
		if (this.master != null) {
			this.master.descendants().forEach(ProcessHandle::destroyForcibly);
			this.master.destroyForcibly();
			this.master.waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void inATestRunTheWorkerFollowsTheMasterAndLeavesDockerComposeAlone() throws IOException {
		ConfigurableApplicationContext context = Workers.start(ComposeApplication.class,
				"spring.profiles.active=compose");
		try {
			long worker = context.getBean(PingTask.class).pid();
			// The master skipped Docker Compose, as Boot does under tests: so did its worker.
			assertThat(callsBy(worker)).isEmpty();
			assertThat(calls()).isEmpty();
		}
		finally {
			Workers.closeAndCheckNothingLeft(context);
		}
	}

	@Test
	void inADevelopmentRunOnlyTheMasterManagesServicesAndTheWorkerLeavesDockerComposeAlone() throws Exception {
		long worker = startMaster();
		assertThat(callsBy(this.master.pid())).anyMatch((call) -> call.contains(" up "));
		// It gets the master's connection details instead of reading the services again.
		assertThat(callsBy(worker)).isEmpty();
	}

	private long startMaster() throws IOException {
		this.master = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
				ComposeApplication.class.getName(), "--spring.main.web-application-type=none",
				"--spring.main.banner-mode=off", "--spring.profiles.active=compose", "--" + Workers.JVM_OPTIONS)
			.redirectErrorStream(true)
			.start();
		Thread reader = new Thread(() -> {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(this.master.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = lines.readLine()) != null) {
					this.output.add(line);
				}
			}
			catch (IOException ex) {
				// The master died: the test looks at what was read.
			}
		});
		reader.setDaemon(true);
		reader.start();
		await().atMost(Duration.ofSeconds(90)).until(() -> line("WORKER-PID ").isPresent() || !this.master.isAlive());
		assertThat(line("WORKER-PID ")).as(() -> String.join("\n", this.output)).isPresent();
		return Long.parseLong(line("WORKER-PID ").get().replaceAll(".*WORKER-PID ", "").trim());
	}

	private Optional<String> line(String marker) {
		return this.output.stream().filter((line) -> line.contains(marker)).findFirst();
	}

	private List<String> calls() throws IOException {
		return Files.exists(this.log) ? Files.readAllLines(this.log) : List.of();
	}

	private List<String> callsBy(long pid) throws IOException {
		return calls().stream().filter((call) -> call.startsWith(pid + " ")).toList();
	}

}
