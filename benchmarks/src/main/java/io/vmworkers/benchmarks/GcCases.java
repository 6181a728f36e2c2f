package io.vmworkers.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * GC isolation: the master runs a 1 kHz loop and records how late each tick wakes, while garbage
 * is made at {@link Workloads#GARBAGE_BYTES_PER_SECOND} in a worker, in a worker pinned to the
 * last CPU, in a thread of the master, or nowhere.
 */
final class GcCases {

	static final String CHART = "1 kHz loop lateness, ms";

	private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private static final long LOOP_MILLIS = 2_000;

	/** The garbage outlasts the loop, so that every tick has it running. */
	private static final long GARBAGE_MILLIS = LOOP_MILLIS + 300;

	private final Plan plan;

	GcCases(Plan plan) {
		this.plan = plan;
	}

	void run(Results results) throws Exception {
		ExecutorService background = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "garbage-starter");
			thread.setDaemon(true);
			return thread;
		});
		String lastCpu = Integer.toString(Runtime.getRuntime().availableProcessors() - 1);
		try (ConfigurableApplicationContext context = Masters.start(BenchmarkApplication.GARBAGE);
				ConfigurableApplicationContext pinnedContext = Masters.start(BenchmarkApplication.GARBAGE,
						"vmworkers.workers.garbageTask.cpus=" + lastCpu)) {
			GarbageTask garbage = context.getBean(GarbageTask.class);
			GarbageTask pinnedGarbage = pinnedContext.getBean(GarbageTask.class);
			Samples quiet = new Samples();
			Samples inWorker = new Samples();
			Samples inPinnedWorker = new Samples();
			Samples inMaster = new Samples();
			// A first unmeasured round compiles the loop and the garbage in both JVMs.
			for (int round = -1; round < this.plan.rounds(); round++) {
				long[] alone = lateness(background, null);
				long[] worker = lateness(background, () -> garbage.garbage(GARBAGE_MILLIS));
				long[] pinned = lateness(background, () -> pinnedGarbage.garbage(GARBAGE_MILLIS));
				long[] master = lateness(background, () -> Workloads.garbage(GARBAGE_MILLIS));
				if (round >= 0) {
					quiet.addRound(alone);
					inWorker.addRound(worker);
					inPinnedWorker.addRound(pinned);
					inMaster.addRound(master);
				}
			}
			report(results, quiet, inWorker, inMaster);
			double pinnedRatio = inPinnedWorker.percentile(99.9) / inMaster.percentile(99.9);
			results.add(Row.judged("GC isolation: same, the worker pinned to CPU " + lastCpu
					+ " (vmworkers.workers.<name>.cpus=" + lastCpu + ")", jitter(inPinnedWorker),
					"garbage in a master thread " + jitter(inMaster), Units.format("%.2fx", pinnedRatio), "<= 0.2x (1/5)",
					pinnedRatio <= 0.2));
			plot(results, "garbage in pinned worker", inPinnedWorker);
		}
		finally {
			background.shutdownNow();
		}
	}

	/**
	 * Runs the loop for {@link #LOOP_MILLIS}, with {@code garbage} running meanwhile if given.
	 * @return how late each tick woke, in nanoseconds
	 */
	private static long[] lateness(ExecutorService background, LongSupplier garbage) throws Exception {
		CompletableFuture<Long> made = (garbage != null) ? CompletableFuture.supplyAsync(garbage::getAsLong, background)
				: CompletableFuture.completedFuture(0L);
		// Let the garbage get going before the first tick.
		Thread.sleep(100);
		long[] late = new long[(int) LOOP_MILLIS];
		long due = System.nanoTime() + TICK_NANOS;
		for (int tick = 0; tick < late.length; tick++) {
			long now;
			while ((now = System.nanoTime()) < due) {
				LockSupport.parkNanos(due - now);
			}
			late[tick] = now - due;
			// The schedule stays fixed: after a stall the following ticks are late too, as a real-time loop's would be.
			due += TICK_NANOS;
		}
		made.get();
		return late;
	}

	private static void report(Results results, Samples quiet, Samples inWorker, Samples inMaster) {
		double ratio = inWorker.percentile(99.9) / inMaster.percentile(99.9);
		results.add(Row.judged("GC isolation: master 1 kHz loop lateness p99.9, garbage in a worker", jitter(inWorker),
				"garbage in a master thread " + jitter(inMaster), Units.format("%.2fx", ratio), "<= 0.2x (1/5)",
				ratio <= 0.2));
		results.add(Row.info("GC isolation: same loop, no garbage anywhere", jitter(quiet), "-", "-"));
		results.note("The garbage: " + (Workloads.GARBAGE_BYTES_PER_SECOND >> 20)
				+ " MB/s of byte arrays (64-2047 bytes), the last 32 K of them kept reachable, "
				+ "in the worker (-Xmx256m) or in a thread of the master (-Xmx512m).");
		plot(results, "no garbage", quiet);
		plot(results, "garbage in worker", inWorker);
		plot(results, "garbage in master", inMaster);
	}

	private static void plot(Results results, String placement, Samples late) {
		results.plot(CHART, "p99", placement, late.percentile(99) / 1e6);
		results.plot(CHART, "p99.9", placement, late.percentile(99.9) / 1e6);
		results.plot(CHART, "max", placement, late.max() / 1e6);
	}

	private static String jitter(Samples late) {
		return Units.nanos(late.percentile(99.9)) + " (p99 " + Units.nanos(late.percentile(99)) + ", max "
				+ Units.nanos(late.max()) + ")";
	}

}
