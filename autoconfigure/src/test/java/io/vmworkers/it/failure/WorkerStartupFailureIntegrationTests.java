package io.vmworkers.it.failure;

import java.util.concurrent.TimeUnit;

import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(OutputCaptureExtension.class)
class WorkerStartupFailureIntegrationTests {

	@AfterEach
	void nothingLeftBehind() {
		assertThat(Workers.children()).isEmpty();
		assertThat(Workers.leftovers()).isEmpty();
	}

	@Test
	void workerThatFailsToStartFailsMasterStartupWithExitCodeAndOutput() {
		assertThatException()
			.isThrownBy(() -> Workers.start(FailureApplication.class,
					"vmworkers.workers.brokenTask.jvm-options=-Dvmworkers.test.break-worker=true"))
			.withStackTraceContaining("worker 'brokenTask'")
			.withStackTraceContaining("exit code 2")
			.withStackTraceContaining("sensor not found on the worker");
	}

	@Test
	void unknownJvmOptionFailsMasterStartupWithTheJvmsMessage() {
		assertThatException()
			.isThrownBy(() -> Workers.start(FailureApplication.class,
					"vmworkers.workers.brokenTask.jvm-options=-XX:+NoSuchVmOption"))
			.withStackTraceContaining("worker 'brokenTask'")
			.withStackTraceContaining("exit code 1")
			.withStackTraceContaining("NoSuchVmOption");
	}

	@Test
	void missingChannelDirectoryFailsStartupWithAnAnalysisNamingTheProperty() {
		Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> Workers.start(FailureApplication.class,
				"vmworkers.channel.directory=/no/such/shm"));
		assertThat(failure).hasRootCauseInstanceOf(io.vmworkers.channel.ChannelDirectoryException.class);
		org.springframework.boot.diagnostics.FailureAnalysis analysis = new io.vmworkers.autoconfigure.ChannelDirectoryFailureAnalyzerAccess()
			.analyze(failure);
		assertThat(analysis.getDescription()).contains("/no/such/shm does not exist");
		assertThat(analysis.getAction()).contains("vmworkers.channel.directory");
	}

	@Test
	void contextFailingBeforeItsDispatcherExistsStopsTheWorkersItLaunched() {
		// The @AfterEach checks that no process and no channel file is left.
		assertThatException()
			.isThrownBy(() -> Workers.start(FailureApplication.class, "vmworkers.test.fail-before-beans=true"))
			.withStackTraceContaining("failing with 1 worker(s) running");
	}

	@Test
	void workerNotReadyInTimeFailsMasterStartup(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> Workers.start(FailureApplication.class, "vmworkers.startup-timeout=50ms"))
			.withStackTraceContaining("worker 'brokenTask' was not ready within PT0.05S (vmworkers.startup-timeout)");
		// The worker, asked to close while it boots, reads the request once it is up and exits: as told to.
		assertThat(output.getAll()).doesNotContain("exited unexpectedly").doesNotContain("restarting in");
	}

}
