package io.vmworkers.benchmarks;

import java.time.Duration;
import java.time.Instant;

import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Start: a master context with one worker (the sample's shape) from the start of its context to
 * all workers ready, and one worker's restart; against a bare JVM's start to its first message,
 * and against the same start without class data sharing. An unmeasured start first lets the
 * worker write its archive (once per build, as for a user).
 */
final class StartCases {

	/** From the issue: workers ready within 1 s of the master's context start, median. */
	private static final long TARGET_NANOS = Duration.ofSeconds(1).toNanos();

	private final Plan plan;

	StartCases(Plan plan) {
		this.plan = plan;
	}

	void run(Results results) throws Exception {
		Samples starts = new Samples();
		Samples launchToReady = new Samples();
		Samples restarts = new Samples();
		Samples bare = new Samples();
		Samples withoutSharing = new Samples();
		try (ConfigurableApplicationContext warmUp = Masters.start(BenchmarkApplication.CALLS)) {
			warmUp.getBean(EchoTask.class).inc(1);
		}
		for (int round = 0; round < this.plan.rounds(); round++) {
			long start = System.nanoTime();
			try (ConfigurableApplicationContext context = Masters.start(BenchmarkApplication.CALLS)) {
				starts.add(System.nanoTime() - start);
				WorkerHandle worker = context.getBean(VmDispatcher.class).worker("echoTask");
				launchToReady.add(Duration.between(worker.startedAt(), Instant.now()).toNanos());
				EchoTask echo = context.getBean(EchoTask.class);
				echo.inc(1);
				long restart = System.nanoTime();
				worker.restart();
				restarts.add(System.nanoTime() - restart);
				if (echo.inc(1) != 2) {
					throw new IllegalStateException("the restarted worker answered wrong");
				}
			}
			long cold = System.nanoTime();
			try (ConfigurableApplicationContext context = Masters.start(BenchmarkApplication.CALLS,
					"vmworkers.cds.enabled=false")) {
				withoutSharing.add(System.nanoTime() - cold);
			}
			bare.add(SocketPeer.timeToFirstMessage());
		}
		String reference = "bare JVM start to first message " + Units.nanos(bare.median());
		results.add(Row.judged("start: master context start to all workers ready",
				Units.nanos(starts.median()) + " (spread " + Units.percent(starts.spread()) + ")", reference,
				Units.times(starts.median() / bare.median()), "<= 1 s median", starts.median() <= TARGET_NANOS));
		results.add(Row.info("start: with class data sharing vs without (vmworkers.cds.enabled=false)",
				Units.nanos(starts.median()), "without " + Units.nanos(withoutSharing.median()) + " (spread "
						+ Units.percent(withoutSharing.spread()) + ")",
				Units.times(withoutSharing.median() / starts.median()) + " faster"));
		results.add(Row.info("start: worker process launch to ready (part of the above)",
				Units.nanos(launchToReady.median()), reference, Units.times(launchToReady.median() / bare.median())));
		results.add(Row.info("restart one worker (stop, start, ready)",
				Units.nanos(restarts.median()) + " (spread " + Units.percent(restarts.spread()) + ")", reference,
				Units.times(restarts.median() / bare.median())));
	}

}
