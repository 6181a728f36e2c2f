package io.vmworkers.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.vmworkers.channel.ChannelFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerLeftoversTests {

	@Test
	void aWorkerProcessStillRunningIsFoundAndNamed() throws Exception {
		// A child whose command line reads like a worker's (the argument is bash's $0).
		Process fake = new ProcessBuilder("bash", "-c", "sleep 30; true", "-Dvmworkers.role=worker").start();
		try {
			WorkerLeftovers left = WorkerLeftovers.awaitNone(WorkerLeftovers.DEFAULT_DIRECTORY, Duration.ofMillis(200));
			assertThat(left.processes()).extracting(ProcessHandle::pid).containsExactly(fake.pid());
			assertThatExceptionOfType(AssertionError.class).isThrownBy(WorkerLeftovers::assertNothingLeftBehind)
				.withMessageContaining("worker process " + fake.pid())
				.withMessageContaining("@DirtiesContext");
		}
		finally {
			fake.descendants().forEach(ProcessHandle::destroyForcibly);
			fake.destroyForcibly().waitFor();
		}
		assertThat(WorkerLeftovers.find(WorkerLeftovers.DEFAULT_DIRECTORY).isEmpty()).isTrue();
	}

	@Test
	void aChannelFileOfThisJvmIsFound() throws Exception {
		Path run = ChannelFiles.runDirectory(WorkerLeftovers.DEFAULT_DIRECTORY, ProcessHandle.current());
		Files.createDirectories(run);
		Path file = Files.createFile(run.resolve("task-0" + ChannelFiles.TO_WORKER));
		try {
			assertThat(WorkerLeftovers.find(WorkerLeftovers.DEFAULT_DIRECTORY).files()).containsExactly(run, file);
		}
		finally {
			Files.delete(file);
			Files.delete(run);
		}
		assertThat(WorkerLeftovers.find(WorkerLeftovers.DEFAULT_DIRECTORY).files()).isEmpty();
	}

}
