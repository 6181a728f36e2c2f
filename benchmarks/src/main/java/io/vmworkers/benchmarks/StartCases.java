package io.vmworkers.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Start: the sample application itself ({@code java -jar}, web server, actuator, one worker) from
 * its context's start to its worker ready, read from its log, and a restart of its worker through
 * the actuator, without and with spares; the benchmark application (no web
 * server) from the start of its context to all workers ready, and one worker's restart, with the
 * application's context and with a task context in the worker; against
 * a bare JVM's start to its first message, and against the same start without class data
 * sharing. An unmeasured start first lets the worker write its archive (once per build, as for a
 * user).
 */
final class StartCases {

	/** From the issue: a worker ready, and the sample's restart answered, within 1 s, median. */
	private static final long TARGET_NANOS = Duration.ofSeconds(1).toNanos();

	/** The sample's {@code vmworkers.workers.countingTask.replicas}. */
	private static final int SAMPLE_REPLICAS = 2;

	private static final int SAMPLE_SPARES = 2;

	/** As a user would give it: a ready spare takes each replica's place in a restart. */
	private static final String SPARES_OPTION = "--vmworkers.workers.countingTask.spares=" + SAMPLE_SPARES;

	private final Plan plan;

	StartCases(Plan plan) {
		this.plan = plan;
	}

	void run(Results results) throws Exception {
		Optional<Path> sample = SampleAppStart.jar();
		Samples toReady = new Samples();
		Samples sampleStarted = new Samples();
		Samples sampleLaunchToReady = new Samples();
		Samples sampleWaited = new Samples();
		Samples starts = new Samples();
		Samples launchToReady = new Samples();
		Samples restarts = new Samples();
		Samples taskLaunchToReady = new Samples();
		Samples sampleRestarts = new Samples();
		Samples sparedSampleRestarts = new Samples();
		Samples taskStarts = new Samples();
		Samples taskRestarts = new Samples();
		Samples withoutSharing = new Samples();
		Samples bare = new Samples();
		// A worker with a task context loads other classes, so it has a class data sharing archive of its own.
		try (ConfigurableApplicationContext warmUp = Masters.start(BenchmarkApplication.CALLS)) {
			warmUp.getBean(EchoTask.class).inc(1);
		}
		try (ConfigurableApplicationContext warmUp = Masters.start(BenchmarkApplication.CALLS, "vmworkers.context=task")) {
			warmUp.getBean(EchoTask.class).inc(1);
		}
		if (sample.isPresent()) {
			SampleAppStart.run(sample.get(), SAMPLE_REPLICAS);
			SampleAppStart.run(sample.get(), SAMPLE_REPLICAS + SAMPLE_SPARES, SPARES_OPTION);
		}
		for (int round = 0; round < this.plan.rounds(); round++) {
			if (sample.isPresent()) {
				SampleAppStart.Timing timing = SampleAppStart.run(sample.get(), SAMPLE_REPLICAS);
				toReady.add(timing.contextToWorkerReadyNanos());
				sampleStarted.add(timing.startedNanos());
				sampleLaunchToReady.add(timing.launchToReadyNanos());
				sampleWaited.add(timing.waitedNanos());
				sampleRestarts.add(timing.restartNanos());
				sparedSampleRestarts.add(SampleAppStart.run(sample.get(), SAMPLE_REPLICAS + SAMPLE_SPARES, SPARES_OPTION)
					.restartNanos());
			}
			long start = System.nanoTime();
			try (ConfigurableApplicationContext context = Masters.start(BenchmarkApplication.CALLS)) {
				starts.add(System.nanoTime() - start);
				WorkerHandle worker = context.getBean(VmDispatcher.class).worker("echoTask");
				EchoTask echo = context.getBean(EchoTask.class);
				echo.inc(1);
				long restart = System.nanoTime();
				worker.restart();
				restarts.add(System.nanoTime() - restart);
				// restart() returns once the new process is ready: this is its launch to ready.
				launchToReady.add(Duration.between(worker.startedAt(), Instant.now()).toNanos());
				if (echo.inc(1) != 2) {
					throw new IllegalStateException("the restarted worker answered wrong");
				}
			}
			long lean = System.nanoTime();
			try (ConfigurableApplicationContext context = Masters.start(BenchmarkApplication.CALLS,
					"vmworkers.context=task")) {
				taskStarts.add(System.nanoTime() - lean);
				EchoTask echo = context.getBean(EchoTask.class);
				echo.inc(1);
				WorkerHandle worker = context.getBean(VmDispatcher.class).worker("echoTask");
				long restart = System.nanoTime();
				worker.restart();
				taskRestarts.add(System.nanoTime() - restart);
				taskLaunchToReady.add(Duration.between(worker.startedAt(), Instant.now()).toNanos());
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
		if (sample.isPresent()) {
			results.add(Row.judged("start: sample app (java -jar, web server and actuator, its worker with a task context),"
					+ " context start to worker ready",
					Units.nanos(toReady.median()) + " (spread " + Units.percent(toReady.spread()) + ")", reference,
					Units.times(toReady.median() / bare.median()), "<= 1 s median", toReady.median() <= TARGET_NANOS));
			results.add(Row.info("start: sample app, Boot's whole start (\"Started ... in\"), web server included",
					Units.nanos(sampleStarted.median()) + " (spread " + Units.percent(sampleStarted.spread()) + ")",
					reference, Units.times(sampleStarted.median() / bare.median())));
			results.add(Row.info("start: sample app, its worker from launch to ready (launched once the master knows"
					+ " its bean definitions, then booting beside it)",
					Units.nanos(sampleLaunchToReady.median()) + " (spread " + Units.percent(sampleLaunchToReady.spread())
							+ ")",
					reference, Units.times(sampleLaunchToReady.median() / bare.median())));
			results.add(Row.judged("restart: sample app, POST /actuator/vmworkers/countingTask {\"action\":\"restart\"}"
					+ " (2 replicas, rolling) to its answer",
					Units.nanos(sampleRestarts.median()) + " (spread " + Units.percent(sampleRestarts.spread()) + ")",
					"its worker's launch to ready " + Units.nanos(sampleLaunchToReady.median()),
					Units.times(sampleRestarts.median() / sampleLaunchToReady.median()), "<= 1 s median",
					sampleRestarts.median() <= TARGET_NANOS));
			results.add(Row.judged("restart: same, with 2 ready spares (" + SPARES_OPTION.substring(2) + ")",
					Units.nanos(sparedSampleRestarts.median()) + " (spread "
							+ Units.percent(sparedSampleRestarts.spread()) + ")",
					"without spares " + Units.nanos(sampleRestarts.median()),
					Units.times(sampleRestarts.median() / sparedSampleRestarts.median()) + " faster", "<= 1 s median",
					sparedSampleRestarts.median() <= TARGET_NANOS));
			results.add(Row.info("start: sample app, what its worker adds to Boot's start (the master's start waiting for"
					+ " it to be ready)", Units.nanos(sampleWaited.median()) + " (highest " + Units.nanos(sampleWaited.max())
							+ ")",
					"Boot's whole start " + Units.nanos(sampleStarted.median()),
					Units.percent(sampleWaited.median() / sampleStarted.median())));
		}
		else {
			results.add(Row.judged("start: sample app (java -jar), context start to worker ready",
					"not measured: build it first (./mvnw package -pl sample-app -am)", reference, "-", "<= 1 s median",
					false));
		}
		results.add(Row.info("start: master without a web server (benchmark app), context start to all workers ready",
				Units.nanos(starts.median()) + " (spread " + Units.percent(starts.spread()) + ")", reference,
				Units.times(starts.median() / bare.median())));
		results.add(Row.info("start: same, the worker with a task context (vmworkers.context=task) vs the application's",
				Units.nanos(taskStarts.median()) + " (spread " + Units.percent(taskStarts.spread()) + ")",
				"application context " + Units.nanos(starts.median()),
				Units.times(starts.median() / taskStarts.median()) + " faster"));
		results.add(Row.info("start: with class data sharing vs without (vmworkers.cds.enabled=false)",
				Units.nanos(starts.median()), "without " + Units.nanos(withoutSharing.median()) + " (spread "
						+ Units.percent(withoutSharing.spread()) + ")",
				Units.times(withoutSharing.median() / starts.median()) + " faster"));
		results.add(Row.judged("start: worker process launch to ready, task context (benchmark app, the process of a"
				+ " restart)", Units.nanos(taskLaunchToReady.median()) + " (spread "
						+ Units.percent(taskLaunchToReady.spread()) + ")",
				reference, Units.times(taskLaunchToReady.median() / bare.median()), "<= 1 s median",
				taskLaunchToReady.median() <= TARGET_NANOS));
		results.add(Row.info("start: same, the application's context",
				Units.nanos(launchToReady.median()) + " (spread " + Units.percent(launchToReady.spread()) + ")",
				reference, Units.times(launchToReady.median() / bare.median())));
		results.add(Row.info("restart one worker (stop, start, ready)",
				Units.nanos(restarts.median()) + " (spread " + Units.percent(restarts.spread()) + ")", reference,
				Units.times(restarts.median() / bare.median())));
		results.add(Row.info("restart one worker with a task context (vmworkers.context=task)",
				Units.nanos(taskRestarts.median()) + " (spread " + Units.percent(taskRestarts.spread()) + ")",
				"application context " + Units.nanos(restarts.median()),
				Units.times(restarts.median() / taskRestarts.median()) + " faster"));
	}

}
