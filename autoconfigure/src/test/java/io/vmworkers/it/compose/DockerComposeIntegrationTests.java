package io.vmworkers.it.compose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.vmworkers.it.support.ChildMaster;
import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

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

	private ChildMaster master;

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
			this.master.close();
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
		assertThat(callsBy(this.master.process().pid())).anyMatch((call) -> call.contains(" up "));
		// It gets the master's connection details instead of reading the services again.
		assertThat(callsBy(worker)).isEmpty();
	}

	private long startMaster() throws IOException {
		this.master = ChildMaster.start(ComposeApplication.class, List.of(), List.of("--spring.profiles.active=compose"),
				Map.of());
		return this.master.awaitWorkerPid();
	}

	private List<String> calls() throws IOException {
		return Files.exists(this.log) ? Files.readAllLines(this.log) : List.of();
	}

	private List<String> callsBy(long pid) throws IOException {
		return calls().stream().filter((call) -> call.startsWith(pid + " ")).toList();
	}

}
