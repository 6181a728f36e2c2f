package io.vmworkers.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.vmworkers.dispatch.VmDispatcher;

/**
 * The soak's traffic: per worker, several callers and a stream each way, watched by a
 * {@link Watchdog}.
 */
final class Load {

	private static final int CALLERS_PER_WORKER = 3;

	private static final Duration STUCK_AFTER = Duration.ofSeconds(15);

	/** Longest wait for the threads to end once asked to. */
	private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(20);

	/** The streams have drained when nothing more arrived for this long. */
	private static final Duration QUIET = Duration.ofSeconds(2);

	private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

	private final CallTally calls;

	private final Map<String, StreamTally> toWorker = new TreeMap<>();

	private final Map<String, StreamTally> fromWorker = new TreeMap<>();

	private final List<SoakThread> threads = new ArrayList<>();

	private final Watchdog watchdog;

	Load(VmDispatcher dispatcher, Map<String, SoakTask> tasks, Disruptions disruptions) {
		this.calls = new CallTally(disruptions);
		tasks.forEach((worker, task) -> {
			StreamTally to = new StreamTally();
			StreamTally from = new StreamTally();
			this.toWorker.put(worker, to);
			this.fromWorker.put(worker, from);
			task.tally(to, from);
			for (int i = 0; i < CALLERS_PER_WORKER; i++) {
				this.threads.add(new Caller(worker, i, task, this.calls));
			}
			this.threads.add(new ToWorkerStream(dispatcher.worker(worker), to, disruptions));
			this.threads.add(new FromWorkerStream(dispatcher.worker(worker), task, from, disruptions));
		});
		this.watchdog = new Watchdog(this.threads, dispatcher, STUCK_AFTER);
	}

	void start() {
		this.threads.forEach(Thread::start);
		this.watchdog.start();
	}

	/**
	 * Stops the callers and streams, waits for them to end and for what is in flight to arrive.
	 * @throws InterruptedException when interrupted
	 */
	void finish() throws InterruptedException {
		this.threads.forEach(SoakThread::finish);
		long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
		for (SoakThread thread : this.threads) {
			thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
		}
		// A thread that did not end by now has been idle longer than the watchdog's limit.
		this.watchdog.check();
		this.watchdog.finish();
		awaitDrained();
	}

	private void awaitDrained() throws InterruptedException {
		long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
		long arrivals = -1;
		while (System.nanoTime() < deadline) {
			long now = arrivals();
			if (now == arrivals) {
				return;
			}
			arrivals = now;
			TimeUnit.NANOSECONDS.sleep(QUIET.toNanos());
		}
	}

	private long arrivals() {
		return this.toWorker.values().stream().mapToLong(StreamTally::arrivals).sum()
				+ this.fromWorker.values().stream().mapToLong(StreamTally::arrivals).sum();
	}

	/**
	 * Describes the first wrongly failed calls and the first stream anomalies of each worker.
	 * @return the descriptions
	 */
	List<String> anomalies() {
		List<String> anomalies = new ArrayList<>();
		this.calls.wrongFailures().forEach((failure) -> anomalies.add("call " + failure));
		this.toWorker.forEach((worker, tally) -> tally.anomalies()
			.forEach((anomaly) -> anomalies.add("stream to " + worker + ": " + anomaly)));
		this.fromWorker.forEach((worker, tally) -> tally.anomalies()
			.forEach((anomaly) -> anomalies.add("stream from " + worker + ": " + anomaly)));
		return anomalies;
	}

	void addTo(Map<String, Long> report) {
		this.calls.addTo(report);
		this.toWorker.values().forEach((tally) -> tally.summary().addTo(report, "toWorker"));
		this.fromWorker.values().forEach((tally) -> tally.summary().addTo(report, "fromWorker"));
		report.put("stuck", (long) this.watchdog.stuck());
		report.put("callerThreads", (long) this.threads.stream().filter(Caller.class::isInstance).count());
	}

}
