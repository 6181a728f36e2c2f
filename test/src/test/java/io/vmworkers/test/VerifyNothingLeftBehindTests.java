package io.vmworkers.test;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test with a real worker: the check runs after Spring has closed the context, and finds
 * nothing (it would fail the class, after its timeout, if the context stayed open).
 */
@VerifyNothingLeftBehind(timeoutSeconds = 20)
@SpringBootTest(properties = { "vmworkers.jvm-options=-Xmx64m,-XX:TieredStopAtLevel=1,-XX:CICompilerCount=1",
		"vmworkers.inherit-jvm-options=false" })
@DirtiesContext
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VerifyNothingLeftBehindTests {

	@Autowired
	private TestApplication.PidTask task;

	@Test
	void workerRunsInAProcessOfItsOwn() {
		long pid = this.task.pid();
		assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
		assertThat(WorkerLeftovers.find(WorkerLeftovers.DEFAULT_DIRECTORY).processes()).extracting(ProcessHandle::pid)
			.containsExactly(pid);
	}

}
