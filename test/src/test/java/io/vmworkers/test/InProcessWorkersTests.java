package io.vmworkers.test;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest
@InProcessWorkers
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InProcessWorkersTests {

	@Autowired
	private TestApplication.PidTask task;

	@Test
	void workerRunsInTheTestsJvm() {
		assertThat(this.task.pid()).isEqualTo(ProcessHandle.current().pid());
		assertThat(WorkerLeftovers.find(WorkerLeftovers.DEFAULT_DIRECTORY).isEmpty()).isTrue();
	}

}
