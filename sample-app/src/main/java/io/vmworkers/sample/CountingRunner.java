package io.vmworkers.sample;

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

	private final CountingTask task;

	private final int rounds;

	CountingRunner(CountingTask task, @Value("${sample.rounds:100000}") int rounds) {
		this.task = task;
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
	}

}
