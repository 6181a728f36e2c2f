package io.vmworkers.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vmworkers.dispatch.Batch;
import io.vmworkers.dispatch.ReplicaHandle;
import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;
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
		List<Long> pids = this.dispatcher.worker("countingTask").replicas().stream().map(ReplicaHandle::pid).toList();
		assertThat(pids).hasSize(2).doesNotContain(ProcessHandle.current().pid());
		assertThat(this.task.greet()).isIn(pids);
		assertThat(this.task.run(100)).isEqualTo(199);
	}

	@Test
	void batchOfPrimeCountsIsSpreadOverBothReplicas() {
		WorkerHandle worker = this.dispatcher.worker("countingTask");
		List<PrimeCount.Range> ranges = new ArrayList<>();
		for (long from = 0; from < 800_000; from += 100_000) {
			ranges.add(new PrimeCount.Range(from, from + 100_000));
		}
		List<PrimeCount> counts = Batch.map(worker, ranges, this.task::countPrimes);
		// pi(800,000) = 63,951, counted in order of the ranges.
		assertThat(counts.stream().mapToLong(PrimeCount::primes).sum()).isEqualTo(63_951);
		assertThat(counts).extracting(PrimeCount::range).containsExactlyElementsOf(ranges);
		assertThat(counts.stream().map(PrimeCount::pid).distinct())
			.containsExactlyInAnyOrderElementsOf(worker.replicas().stream().map(ReplicaHandle::pid).toList());
	}

}
