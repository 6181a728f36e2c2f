package io.vmworkers.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.vmworkers.dispatch.Batch;
import io.vmworkers.dispatch.VmDispatcher;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Greets the worker and counts with it once the application has started, then prints a summary.
 */
@Component
class CountingRunner implements ApplicationRunner {

	private static final Log logger = LogFactory.getLog(CountingRunner.class);

	/** The batch counts the primes below this, in eight ranges. */
	static final long PRIMES_UP_TO = 4_000_000;

	private final CountingTask task;

	private final VmDispatcher dispatcher;

	private final int rounds;

	CountingRunner(CountingTask task, VmDispatcher dispatcher, @Value("${sample.rounds:100000}") int rounds) {
		this.task = task;
		this.dispatcher = dispatcher;
		this.rounds = rounds;
	}

	@Override
	public void run(ApplicationArguments args) {
		long workerPid = this.task.greet();
		logger.info("Master pid " + ProcessHandle.current().pid() + " counting with worker pid " + workerPid);
		long start = System.nanoTime();
		int last = this.task.run(this.rounds);
		long elapsed = System.nanoTime() - start;
		System.out.printf("Counted %d rounds (last value %d) in %.1f ms: %.0f round trips/s%n", this.rounds, last,
				elapsed / 1e6, this.rounds / (elapsed / 1e9));
		countPrimes();
	}

	/** Spreads a batch of prime counts over the worker's replicas, one call in flight per replica. */
	private void countPrimes() {
		List<PrimeCount.Range> ranges = new ArrayList<>();
		for (long from = 0; from < PRIMES_UP_TO; from += PRIMES_UP_TO / 8) {
			ranges.add(new PrimeCount.Range(from, from + PRIMES_UP_TO / 8));
		}
		long start = System.nanoTime();
		List<PrimeCount> counts = Batch.map(this.dispatcher.worker("countingTask"), ranges, this.task::countPrimes);
		long elapsed = System.nanoTime() - start;
		Map<Long, Long> rangesByPid = counts.stream()
			.collect(Collectors.groupingBy(PrimeCount::pid, TreeMap::new, Collectors.counting()));
		System.out.printf("Counted %d primes below %d in %.1f ms, ranges per worker pid: %s%n",
				counts.stream().mapToLong(PrimeCount::primes).sum(), PRIMES_UP_TO, elapsed / 1e6, rangesByPid);
	}

}
