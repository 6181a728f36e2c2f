package io.vmworkers.soak;

import java.time.Duration;

/**
 * Soak run (not part of the build's tests; see scripts/soak.sh). Runs a {@link SoakMaster} as a
 * child process: calls (several threads per worker, synchronous and asynchronous) and a stream of
 * fragmented objects each way, while its {@link WorkerKiller} kills workers when ready, starting and
 * restarting. Then SIGKILLs a second master under the same load and checks what it leaves. Prints a
 * {@link SoakTable}; exits 1 when a row that must be 0 is not.
 * <p>
 * {@code cycles [count]} instead starts and stops the application {@code count} times in this JVM
 * ({@link StartStopCycles}).
 */
public final class SoakRunner {

	/** How long a master may take beyond its run: start, drain, stop. */
	private static final Duration MASTER_OVERHEAD = Duration.ofMinutes(3);

	private SoakRunner() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("cycles")) {
			System.exit(StartStopCycles.run((args.length > 1) ? Integer.parseInt(args[1]) : 200) ? 0 : 1);
		}
		Duration duration = Duration.ofSeconds((args.length > 0) ? Long.parseLong(args[0]) : 60);
		Duration killEvery = Duration.ofMillis((args.length > 1) ? Long.parseLong(args[1]) : 3000);
		MasterProcess master = MasterProcess.start("run", Long.toString(duration.toSeconds()),
				Long.toString(killEvery.toMillis()));
		int exitCode = master.awaitExit(duration.plus(MASTER_OVERHEAD));
		System.out.println("Killing a second master under load...");
		MasterKill.Outcome masterKill = MasterKill.run();
		SoakTable table = new SoakTable(duration, killEvery, exitCode, master.report(), masterKill);
		table.print();
		System.exit(table.passed() ? 0 : 1);
	}

}
