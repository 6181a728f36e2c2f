package io.vmworkers.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints the soak's results as a Markdown table and decides whether it passed: every row marked
 * "must be 0" is 0, the master ended normally, and the killed master left nothing behind.
 */
final class SoakTable {

	private final List<String> rows = new ArrayList<>();

	private final List<String> failures = new ArrayList<>();

	/**
	 * Builds the table.
	 * @param duration how long the master ran its load with kills
	 * @param killEvery the pause between kill rounds
	 * @param exitCode the master's exit code
	 * @param report what the master reported, null when it reported nothing
	 * @param masterKill what the kill of a second master left
	 */
	SoakTable(Duration duration, Duration killEvery, int exitCode, MasterReport report, MasterKill.Outcome masterKill) {
		row("duration", "%d s, a kill round every %d ms", duration.toSeconds(), killEvery.toMillis());
		if (exitCode != 0) {
			this.failures.add("the master exited with " + exitCode);
		}
		if (report != null) {
			addMaster(report);
		}
		else {
			this.failures.add("the master printed no report");
		}
		row("master killed under load: its workers exited", "%d of %d, %s", masterKill.workersAtKill() - masterKill.workersLeft(),
				masterKill.workersAtKill(), (masterKill.workersGoneMillis() >= 0) ? "all within " + masterKill.workersGoneMillis() + " ms"
						: "not all within the grace");
		mustBeZero("master killed: /dev/shm entries left after the grace", masterKill.shmLeft());
		if (masterKill.shmGoneMillis() >= 0) {
			row("master killed: its /dev/shm entries gone after", "%d ms", masterKill.shmGoneMillis());
		}
		if (!masterKill.clean()) {
			this.failures.add("the killed master left something behind, or did not start: " + masterKill);
		}
	}

	private void addMaster(MasterReport r) {
		row("kills while ready / while starting (after restart()) / while restarting (after a kill)", "%d / %d / %d",
				r.get("kills.ready"), r.get("kills.starting"), r.get("kills.restarting"));
		row("requested restarts (restart())", "%d", r.get("restarts.requested"));
		row("kill round until ready again, p50 / max", "%d / %d ms", r.get("recovery.p50Millis"), r.get("recovery.maxMillis"));
		mustBeZero("killer: worker not ready again within 60 s", r.get("killer.problems"));
		row("worker restarts the soak did not cause (heartbeat time-outs, crashes)", "%d", r.get("restarts.unplanned"));
		row("caller threads (sync, @Idempotent, async in turn)", "%d", r.get("callerThreads"));
		row("calls ok (of them async)", "%d (%d)", r.get("calls.ok"), r.get("calls.okAsync"));
		row("calls failed while in flight at a kill (expected)", "%d", r.get("calls.failedAtKill"));
		mustBeZero("calls failed wrongly", r.get("calls.failedWrongly"));
		stream(r, "toWorker", "master to worker");
		stream(r, "fromWorker", "worker to master");
		mustBeZero("stuck callers (no completed call for 15 s while their worker was ready)", r.get("stuck"));
		mustBeZero("worker processes left after close", r.get("leftover.workerProcesses"));
		mustBeZero("/dev/shm entries left after close", r.get("leftover.shmEntries"));
		row("master file descriptors while running / after close", "%d / %d", r.get("descriptors.whileRunning"),
				r.get("descriptors.afterClose"));
		if (r.get("descriptors.afterClose") > r.get("descriptors.whileRunning")) {
			this.failures.add("file descriptors leaked");
		}
	}

	private void stream(MasterReport r, String key, String direction) {
		row("stream " + direction + ": sent / received / lost at a kill (expected)", "%d / %d / %d", r.get(key + ".sent"),
				r.get(key + ".received"), r.get(key + ".lostAtKill"));
		row("stream " + direction + ": worker processes it spanned", "%d", r.get(key + ".connections"));
		mustBeZero("stream " + direction + ": lost otherwise (inside a connection, or at the end)",
				r.get(key + ".lostOtherwise"));
		mustBeZero("stream " + direction + ": out of order", r.get(key + ".outOfOrder"));
		mustBeZero("stream " + direction + ": duplicated", r.get(key + ".duplicated"));
		mustBeZero("stream " + direction + ": corrupt payload", r.get(key + ".corrupt"));
		row("stream " + direction + ": " + (key.equals("toWorker") ? "puts" : "emit calls")
				+ " failed at a kill (expected)", "%d", r.get(key + ".sendsFailedAtKill"));
		row("stream " + direction + ": " + (key.equals("toWorker") ? "puts" : "emit calls")
				+ " refused while the worker was down (a put waits for a restart; only a failed one refuses)", "%d",
				r.get(key + ".sendsRefusedWhileDown"));
		mustBeZero("stream " + direction + ": " + (key.equals("toWorker") ? "puts" : "emit calls") + " failed wrongly",
				r.get(key + ".sendsFailedWrongly"));
	}

	private void mustBeZero(String what, long value) {
		row(what + " (must be 0)", "%d", value);
		if (value != 0) {
			this.failures.add(what + ": " + value);
		}
	}

	private void row(String what, String format, Object... values) {
		this.rows.add("| " + what + " | " + String.format(format, values) + " |");
	}

	boolean passed() {
		return this.failures.isEmpty();
	}

	void print() {
		System.out.println();
		System.out.println("| soak | value |");
		System.out.println("| --- | --- |");
		this.rows.forEach(System.out::println);
		System.out.println();
		System.out.println(passed() ? "PASS" : "FAIL: " + String.join("; ", this.failures));
	}

}
