package io.vmworkers.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;

/**
 * Kills a random worker with SIGKILL every interval, in turn in three situations: while it is
 * ready; while it restarts after such a kill (its new process is starting); and while it starts
 * after a {@link WorkerHandle#restart()} asked for. (A kill during the master's first start is
 * left out: a worker that was never ready is not restarted, by design.) Each round waits until the
 * worker is ready again.
 */
final class WorkerKiller {

	/** Longest a step of a round may take before it counts as a worker that did not recover. */
	private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

	/** A starting process is killed at a random point within this much of its start. */
	private static final int STARTING_KILL_SPREAD_MILLIS = 1500;

	enum Kind {

		READY, STARTING, RESTARTING

	}

	private final VmDispatcher dispatcher;

	private final List<String> workers;

	private final Disruptions disruptions;

	private final Map<Kind, AtomicLong> kills = new EnumMap<>(Kind.class);

	private final AtomicLong requestedRestarts = new AtomicLong();

	private final List<Long> recoveryMillis = new CopyOnWriteArrayList<>();

	private final List<String> problems = new CopyOnWriteArrayList<>();

	WorkerKiller(VmDispatcher dispatcher, List<String> workers, Disruptions disruptions) {
		this.dispatcher = dispatcher;
		this.workers = workers;
		this.disruptions = disruptions;
		for (Kind kind : Kind.values()) {
			this.kills.put(kind, new AtomicLong());
		}
	}

	/**
	 * Kills until {@code duration} has passed, then returns once every worker is ready.
	 * @param duration how long to go on
	 * @param interval the pause between rounds
	 * @throws InterruptedException when interrupted
	 */
	void run(Duration duration, Duration interval) throws InterruptedException {
		long deadline = System.nanoTime() + duration.toNanos();
		Kind[] plan = Kind.values();
		for (int round = 0; System.nanoTime() + interval.toNanos() < deadline; round++) {
			TimeUnit.NANOSECONDS.sleep(interval.toNanos());
			WorkerHandle worker = this.dispatcher.worker(this.workers.get(ThreadLocalRandom.current().nextInt(this.workers.size())));
			if (!await(worker, () -> worker.state() == WorkerState.READY, "ready before round " + round)) {
				continue;
			}
			long began = System.nanoTime();
			switch (plan[round % plan.length]) {
				case READY -> kill(worker, worker.pid(), Kind.READY);
				case RESTARTING -> killWhileRestarting(worker);
				case STARTING -> killWhileStartingOnRequest(worker);
			}
			if (await(worker, () -> worker.state() == WorkerState.READY, "ready again after round " + round)) {
				this.recoveryMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
			}
		}
		for (String name : this.workers) {
			WorkerHandle worker = this.dispatcher.worker(name);
			await(worker, () -> worker.state() == WorkerState.READY, "ready at the end");
		}
	}

	private void killWhileRestarting(WorkerHandle worker) throws InterruptedException {
		long old = worker.pid();
		kill(worker, old, Kind.READY);
		killWhileStarting(worker, old, Kind.RESTARTING);
	}

	private void killWhileStartingOnRequest(WorkerHandle worker) throws InterruptedException {
		long old = worker.pid();
		// Calls in flight, and calls made while it stops, fail on a requested restart by contract.
		Disruptions.Window stopping = this.disruptions.open(worker.name());
		Thread restarter = new Thread(() -> {
			try {
				worker.restart();
			}
			catch (RuntimeException ex) {
				// Expected: its new process is killed while it starts.
			}
		}, "soak-restart-" + worker.name());
		restarter.setDaemon(true);
		restarter.start();
		this.requestedRestarts.incrementAndGet();
		boolean started = awaitNewProcess(worker, old);
		stopping.close();
		if (started) {
			killWhileStarting(worker, old, Kind.STARTING);
		}
		restarter.join(STEP_TIMEOUT.toMillis());
		if (restarter.isAlive()) {
			this.problems.add("restart() of worker '" + worker.name() + "' did not return within " + STEP_TIMEOUT);
		}
	}

	/** Waits for the process that replaces {@code old}, then kills it at a random point of its start. */
	private void killWhileStarting(WorkerHandle worker, long old, Kind kind) throws InterruptedException {
		if (!awaitNewProcess(worker, old)) {
			return;
		}
		long pid = worker.pid();
		TimeUnit.MILLISECONDS.sleep(ThreadLocalRandom.current().nextInt(STARTING_KILL_SPREAD_MILLIS));
		if (worker.pid() == pid) {
			kill(worker, pid, kind);
		}
	}

	private boolean awaitNewProcess(WorkerHandle worker, long old) throws InterruptedException {
		return await(worker, () -> worker.pid() != old && worker.pid() > 0
				&& (worker.state() == WorkerState.STARTING || worker.state() == WorkerState.READY),
				"a new process after pid " + old);
	}

	private void kill(WorkerHandle worker, long pid, Kind whileStarting) throws InterruptedException {
		// A process meant to be killed while starting may have become ready meanwhile: count what it was.
		Kind kind = (worker.state() == WorkerState.READY) ? Kind.READY : whileStarting;
		Disruptions.Window window = this.disruptions.open(worker.name());
		if (ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false)) {
			this.kills.get(kind).incrementAndGet();
		}
		// Until the master has seen the exit, calls may still go to the dead process.
		await(worker, () -> worker.pid() != pid
				|| (worker.state() != WorkerState.READY && worker.state() != WorkerState.STARTING),
				"the master to see pid " + pid + " exit");
		window.close();
	}

	private boolean await(WorkerHandle worker, BooleanSupplier condition, String what) throws InterruptedException {
		long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				this.problems.add("worker '" + worker.name() + "' (state " + worker.state() + ", pid " + worker.pid()
						+ "): no " + what + " within " + STEP_TIMEOUT);
				return false;
			}
			TimeUnit.MILLISECONDS.sleep(1);
		}
		return true;
	}

	void addTo(Map<String, Long> report) {
		this.kills.forEach((kind, count) -> report.put("kills." + kind.name().toLowerCase(), count.get()));
		List<Long> sorted = new ArrayList<>(this.recoveryMillis);
		Collections.sort(sorted);
		report.put("recovery.p50Millis", percentile(sorted, 50));
		report.put("recovery.maxMillis", sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1));
		report.put("restarts.requested", this.requestedRestarts.get());
		report.put("killer.problems", (long) this.problems.size());
	}

	List<String> problems() {
		return this.problems;
	}

	private static long percentile(List<Long> sorted, int percentile) {
		return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * percentile / 100));
	}

}
