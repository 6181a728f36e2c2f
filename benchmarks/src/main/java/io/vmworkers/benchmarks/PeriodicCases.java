package io.vmworkers.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.vmworkers.dispatch.VmDispatcher;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * A control loop's calls: one call {@code int inc(int)} every millisecond, the caller sleeping
 * between them, as the users' periodic callers do. A worker that sleeps between calls makes each
 * pay a wake-up; one that spins holds a core. Measured with each idle strategy
 * ({@code vmworkers.workers.<name>.idle}), with the CPU the worker uses meanwhile: issue 17's target
 * is a median call of at most 10 us with the worker under 10 % of a core.
 */
final class PeriodicCases {

	private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private static final int CALLS = 3_000;

	private static final int WARM_UP = 500;

	private static final long TARGET_NANOS = 10_000;

	private static final double CPU_TARGET = 0.10;

	private final Plan plan;

	PeriodicCases(Plan plan) {
		this.plan = plan;
	}

	void run(Results results) throws Exception {
		periodic(results, "idle=adaptive (the default: spin 50 us after traffic, then sleep)");
		periodic(results, "idle=sleep", "vmworkers.workers.echoTask.idle=sleep");
		periodic(results, "idle=yield", "vmworkers.workers.echoTask.idle=yield");
		periodic(results, "idle=spin", "vmworkers.workers.echoTask.idle=spin");
	}

	private void periodic(Results results, String setting, String... properties) throws Exception {
		try (ConfigurableApplicationContext context = Masters.start(BenchmarkApplication.CALLS, properties)) {
			EchoTask echo = context.getBean(EchoTask.class);
			long worker = context.getBean(VmDispatcher.class).worker("echoTask").pid();
			Samples times = new Samples();
			Samples workerShare = new Samples();
			loop(echo, WARM_UP);
			for (int round = 0; round < Math.max(1, this.plan.rounds() / 2); round++) {
				CpuTime before = CpuTime.of(worker);
				times.addRound(loop(echo, CALLS));
				workerShare.add(Math.round(CpuTime.of(worker).coreShareSince(before) * 1e6));
			}
			double cpu = workerShare.median() / 1e6;
			results.add(Row.judged("1 kHz caller: call inc(int) every 1 ms, median, " + setting, Units.latency(times),
					"the worker meanwhile " + Units.format("%.2f%%", cpu * 100) + " of a core", "-",
					"<= 10 us, worker < 10% of a core", times.median() <= TARGET_NANOS && cpu < CPU_TARGET));
			results.plot(CallCases.CHART, "median", "1 kHz caller, " + setting, times.median() / 1e3);
		}
	}

	/** Calls once per period, sleeping until each call is due; returns each call's time. */
	private static long[] loop(EchoTask echo, int calls) {
		long[] times = new long[calls];
		long due = System.nanoTime() + PERIOD_NANOS;
		for (int i = 0; i < calls; i++) {
			long wait;
			while ((wait = due - System.nanoTime()) > 0) {
				LockSupport.parkNanos(wait);
			}
			long start = System.nanoTime();
			if (echo.inc(i) != i + 1) {
				throw new IllegalStateException("wrong answer");
			}
			times[i] = System.nanoTime() - start;
			due += PERIOD_NANOS;
		}
		return times;
	}

}
