package io.vmworkers.soak;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the calls of every caller: answered, failed while a kill of their worker was in flight
 * (expected), and failed otherwise (must be 0; the first few are kept with their stack trace).
 */
final class CallTally {

	private static final int KEPT_FAILURES = 5;

	private final Disruptions disruptions;

	private final AtomicLong ok = new AtomicLong();

	private final AtomicLong okAsync = new AtomicLong();

	private final AtomicLong failedAtKill = new AtomicLong();

	private final AtomicLong failedWrongly = new AtomicLong();

	private final List<String> wrongFailures = new CopyOnWriteArrayList<>();

	CallTally(Disruptions disruptions) {
		this.disruptions = disruptions;
	}

	void answered(boolean async) {
		this.ok.incrementAndGet();
		if (async) {
			this.okAsync.incrementAndGet();
		}
	}

	void wrongAnswer(String worker, String call, Object answer) {
		failedWrongly(worker + ": " + call + " answered " + answer);
	}

	/**
	 * Counts a failed call.
	 * @param worker the worker called
	 * @param call what was called
	 * @param startNanos when the call began
	 * @param failure what it threw
	 */
	void failed(String worker, String call, long startNanos, Throwable failure) {
		if (this.disruptions.overlaps(worker, startNanos, System.nanoTime())) {
			this.failedAtKill.incrementAndGet();
		}
		else {
			StringWriter trace = new StringWriter();
			failure.printStackTrace(new PrintWriter(trace));
			failedWrongly(worker + ": " + call + " failed: " + trace);
		}
	}

	private void failedWrongly(String description) {
		if (this.failedWrongly.incrementAndGet() <= KEPT_FAILURES) {
			this.wrongFailures.add(description);
		}
	}

	List<String> wrongFailures() {
		return this.wrongFailures;
	}

	void addTo(Map<String, Long> report) {
		report.put("calls.ok", this.ok.get());
		report.put("calls.okAsync", this.okAsync.get());
		report.put("calls.failedAtKill", this.failedAtKill.get());
		report.put("calls.failedWrongly", this.failedWrongly.get());
	}

}
