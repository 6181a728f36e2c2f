package io.vmworkers.sample;

import java.util.concurrent.TimeUnit;

import io.vmworkers.dispatch.VmDispatcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample from an exploded class path, as an IDE or {@code spring-boot:run} starts it.
 */
@SpringBootTest(properties = { "sample.rounds=10", "sample.traffic.rounds-per-second=0",
		"vmworkers.jvm-options=-Xmx64m,-XX:TieredStopAtLevel=1", "vmworkers.inherit-jvm-options=false" })
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CountingTaskTests {

	@Autowired
	private CountingTask task;

	@Autowired
	private VmDispatcher dispatcher;

	@Test
	void countsWithAWorkerInAnotherJvm() {
		assertThat(this.task.greet()).isEqualTo(this.dispatcher.worker("countingTask").pid())
			.isNotEqualTo(ProcessHandle.current().pid());
		assertThat(this.task.run(100)).isEqualTo(199);
	}

}
