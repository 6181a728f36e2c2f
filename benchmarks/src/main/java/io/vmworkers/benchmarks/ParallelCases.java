package io.vmworkers.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Parallel speedup: a CPU-bound job on one worker, split over two workers, and the same in one and
 * two threads of the master, whose speedup is what the machine allows at that moment.
 */
final class ParallelCases {

	/** About a quarter of a second of work for one thread here. */
	private static final long FIRST = 1_000_000;

	private static final long END = 2_600_000;

	/** From the issue: 2 workers at least 1.8x one worker. */
	private static final double TARGET = 1.8;

	private final Plan plan;

	ParallelCases(Plan plan) {
		this.plan = plan;
	}

	void run(Results results) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try (ConfigurableApplicationContext context = Masters.start(BenchmarkApplication.PARALLEL)) {
			CrunchTask first = context.getBean(CrunchTask.First.class);
			CrunchTask second = context.getBean(CrunchTask.Second.class);
			long expected = Workloads.collatzSteps(FIRST, END, 0, 1);
			Samples oneThread = new Samples();
			Samples twoThreads = new Samples();
			Samples oneWorker = new Samples();
			Samples twoWorkers = new Samples();
			// Two unmeasured rounds compile the job in every JVM and let the new workers finish starting.
			for (int round = -2; round < this.plan.rounds(); round++) {
				long thread = time(() -> Workloads.collatzSteps(FIRST, END, 0, 1), expected);
				long threadPair = time(() -> {
					Future<Long> one = threads.submit(() -> Workloads.collatzSteps(FIRST, END, 0, 2));
					Future<Long> other = threads.submit(() -> Workloads.collatzSteps(FIRST, END, 1, 2));
					return one.get() + other.get();
				}, expected);
				long worker = time(() -> first.collatzSteps(FIRST, END, 0, 1).join(), expected);
				long workerPair = time(() -> {
					CompletableFuture<Long> one = first.collatzSteps(FIRST, END, 0, 2);
					CompletableFuture<Long> other = second.collatzSteps(FIRST, END, 1, 2);
					return one.join() + other.join();
				}, expected);
				if (round >= 0) {
					oneThread.add(thread);
					twoThreads.add(threadPair);
					oneWorker.add(worker);
					twoWorkers.add(workerPair);
				}
			}
			report(results, oneThread, twoThreads, oneWorker, twoWorkers);
		}
		finally {
			threads.shutdownNow();
		}
	}

	private static long time(Job job, long expected) throws Exception {
		long start = System.nanoTime();
		long result = job.run();
		long elapsed = System.nanoTime() - start;
		if (result != expected) {
			throw new IllegalStateException("the job computed " + result + " instead of " + expected);
		}
		return elapsed;
	}

	private static void report(Results results, Samples oneThread, Samples twoThreads, Samples oneWorker,
			Samples twoWorkers) {
		double workers = oneWorker.median() / twoWorkers.median();
		double machine = oneThread.median() / twoThreads.median();
		// Two threads of one JVM below the target show that two cores were not free: no verdict then.
		results.add(Row.judged("parallel: 2 workers vs 1 worker, speedup",
				speedup(workers) + " (" + Units.nanos(oneWorker.median()) + " -> "
						+ Units.nanos(twoWorkers.median()) + ")",
				"2 threads vs 1 thread " + speedup(machine) + " (" + Units.nanos(oneThread.median()) + " -> "
						+ Units.nanos(twoThreads.median()) + ")",
				speedup(workers), ">= 1.8x", workers >= TARGET)
			.unjudgedIf(machine < TARGET));
		results.add(Row.info("parallel: 1 worker vs 1 thread, same job", Units.nanos(oneWorker.median()),
				"1 thread " + Units.nanos(oneThread.median()), Units.times(oneWorker.median() / oneThread.median())));
	}

	/** Two decimals: a speedup just under the target must not print as the target. */
	private static String speedup(double ratio) {
		return Units.format("%.2fx", ratio);
	}

	/** A job that returns its checksum. */
	@FunctionalInterface
	private interface Job {

		long run() throws Exception;

	}

}
