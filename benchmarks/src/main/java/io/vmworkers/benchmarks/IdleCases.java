package io.vmworkers.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Idle and wake: the CPU an idle master JVM of its own (with one worker) and an idle worker use
 * while nothing is sent for 5 s, against a JVM blocked in a socket read; then the first round trip
 * after 10 ms of silence, against a Unix-domain socket and the raw ring with its reader asleep on a
 * futex.
 */
final class IdleCases {

	static final String CHART = "Idle: CPU, % of a core";

	private static final long IDLE_MILLIS = 5_000;

	private static final long SETTLE_MILLIS = 2_000;

	/** An idle thread is named in the notes from this share of a core: 0.02 %. */
	private static final double AWAKE = 0.0002;

	private static final long SILENCE_MILLIS = 10;

	private static final int WAKES_PER_ROUND = 20;

	/** From issue 17: an idle worker under 0.3 % of a core. */
	private static final double IDLE_TARGET = 0.003;

	/** From issue 17: an idle master under 0.5 % of a core, with one worker or with nine. */
	private static final double MASTER_TARGET = 0.005;

	/** The workers of the second idle master: its cost must not grow with them. */
	private static final int MANY = 9;

	/** Nine workers' start and their first compilations are over well before this. */
	private static final long MANY_SETTLE_MILLIS = 20_000;

	/** From the issue: the first round trip after silence under 100 us, median. */
	private static final double WAKE_TARGET_NANOS = 100_000;

	private final Plan plan;

	private final Peers peers;

	private final EchoTask echo;

	private final long workerPid;

	private final IdleMasterJvm idleMaster;

	IdleCases(Plan plan, Peers peers, EchoTask echo, long workerPid, IdleMasterJvm idleMaster) {
		this.plan = plan;
		this.peers = peers;
		this.echo = echo;
		this.workerPid = workerPid;
		this.idleMaster = idleMaster;
	}

	void run(Results results) throws Exception {
		boolean idleMet = idle(results);
		idleWithManyWorkers(results);
		wake(results, idleMet);
	}

	/**
	 * A master JVM with {@link #MANY} idle workers: what grows with the number of workers. Started
	 * here, after the busy cases, and left to settle first.
	 */
	private void idleWithManyWorkers(Results results) throws Exception {
		try (IdleMasterJvm many = startIdleMaster(MANY)) {
			Thread.sleep(MANY_SETTLE_MILLIS);
			long master = many.jvm().pid();
			Samples masterShare = new Samples();
			Samples socketShare = new Samples();
			int windows = Math.max(1, this.plan.rounds() / 2);
			for (int window = 0; window < windows; window++) {
				CpuTime masterBefore = CpuTime.of(master);
				CpuTime socketBefore = CpuTime.of(this.peers.sockets.pid());
				Thread.sleep(IDLE_MILLIS);
				masterShare.add(Math.round(CpuTime.of(master).coreShareSince(masterBefore) * 1e6));
				socketShare.add(Math.round(CpuTime.of(this.peers.sockets.pid()).coreShareSince(socketBefore) * 1e6));
			}
			double masterIdle = masterShare.median() / 1e6;
			results.add(Row.judged("idle master CPU (a master JVM with " + MANY + " idle workers)", share(masterShare),
					"JVM blocked in a socket read " + share(socketShare),
					Units.times(masterShare.median() / socketShare.median()), "< 0.5% of a core",
					masterIdle < MASTER_TARGET));
			results.plot(CHART, "CPU", "idle master, " + MANY + " workers", masterIdle * 100);
		}
	}

	/**
	 * Starts the idle master JVM ({@link IdleMaster}) and waits until its worker is ready. Started
	 * before the busy cases, so that it has long settled (its JIT compilations done) when its idle
	 * cost is measured.
	 * @return the running master; close it to stop it and its worker
	 * @throws Exception when it does not start
	 */
	static IdleMasterJvm startIdleMaster() throws Exception {
		return startIdleMaster(1);
	}

	/**
	 * Starts an idle master JVM with that many worker processes and waits until they are ready.
	 * @param processes how many
	 * @return the running master; close it to stop it and its workers
	 * @throws Exception when it does not start
	 */
	static IdleMasterJvm startIdleMaster(int processes) throws Exception {
		Path readyFile = Files.createTempFile("vmworkers-idle-master-", ".pid");
		ChildJvm jvm = ChildJvm.start(IdleMaster.class, readyFile.toString(), Integer.toString(processes));
		try {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
			while (Files.size(readyFile) == 0) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("the idle master did not start within 90 s");
				}
				Thread.sleep(50);
			}
			return new IdleMasterJvm(jvm, Long.parseLong(Files.readString(readyFile).trim()));
		}
		catch (Exception ex) {
			jvm.close();
			throw ex;
		}
		finally {
			Files.deleteIfExists(readyFile);
		}
	}

	private boolean idle(Results results) throws Exception {
		return idle(results, this.idleMaster.jvm().pid(), this.idleMaster.workerPid());
	}

	private boolean idle(Results results, long idleMaster, long idleMastersWorker) throws Exception {
		long suite = ProcessHandle.current().pid();
		Samples suiteShare = new Samples();
		Samples masterShare = new Samples();
		Samples workerShare = new Samples();
		Samples socketShare = new Samples();
		BusyThreads threads = new BusyThreads(Map.of("idle master", idleMaster, "its worker", idleMastersWorker,
				"suite", suite, "suite's worker", this.workerPid), AWAKE);
		// Compilations queued by the busy cases before finish first: they are not idle cost.
		Thread.sleep(SETTLE_MILLIS);
		int windows = Math.max(1, this.plan.rounds() / 2);
		for (int window = 0; window < windows; window++) {
			CpuTime suiteBefore = CpuTime.of(suite);
			CpuTime masterBefore = CpuTime.of(idleMaster);
			CpuTime workerBefore = CpuTime.of(this.workerPid);
			CpuTime socketBefore = CpuTime.of(this.peers.sockets.pid());
			threads.watch(() -> {
				Thread.sleep(IDLE_MILLIS);
				return null;
			});
			// Shares in millionths of a core: Samples hold whole numbers.
			suiteShare.add(Math.round(CpuTime.of(suite).coreShareSince(suiteBefore) * 1e6));
			masterShare.add(Math.round(CpuTime.of(idleMaster).coreShareSince(masterBefore) * 1e6));
			workerShare.add(Math.round(CpuTime.of(this.workerPid).coreShareSince(workerBefore) * 1e6));
			socketShare.add(Math.round(CpuTime.of(this.peers.sockets.pid()).coreShareSince(socketBefore) * 1e6));
		}
		String reference = "JVM blocked in a socket read " + share(socketShare);
		double worker = workerShare.median() / 1e6;
		double masterIdle = masterShare.median() / 1e6;
		results.add(Row.judged("idle worker CPU (" + IDLE_MILLIS / 1000 + " s, nothing sent)", share(workerShare),
				reference, Units.times(workerShare.median() / socketShare.median()), "< 0.3% of a core",
				worker < IDLE_TARGET));
		results.add(Row.judged("idle master CPU (a master JVM with one idle worker)", share(masterShare), reference,
				Units.times(masterShare.median() / socketShare.median()), "< 0.5% of a core", masterIdle < MASTER_TARGET));
		results.add(Row.info("idle suite JVM (master of the busy cases, with the peers' and harness's threads)",
				share(suiteShare), reference, Units.times(suiteShare.median() / socketShare.median())));
		results.note("Threads on a CPU while idle (share of wall time): " + threads.summary());
		results.plot(CHART, "CPU", "idle worker", worker * 100);
		results.plot(CHART, "CPU", "idle master", masterIdle * 100);
		results.plot(CHART, "CPU", "socket-blocked JVM", socketShare.median() / 1e4);
		results.plot(CHART, "CPU", "target", IDLE_TARGET * 100);
		return worker < IDLE_TARGET && masterIdle < MASTER_TARGET;
	}

	private static String share(Samples millionths) {
		return Units.format("%.2f%%", millionths.median() / 1e4) + " of a core (spread "
				+ Units.percent(millionths.spread()) + ")";
	}

	private void wake(Results results, boolean idleMet) throws Exception {
		RoundTrip.Step call = this.echo::inc;
		RoundTrip.Step unix = this.peers.sockets.unixEcho();
		RoundTrip.Step ring = this.peers.ring::echo;
		Samples callTimes = new Samples();
		Samples unixTimes = new Samples();
		Samples ringTimes = new Samples();
		for (int round = 0; round < this.plan.rounds(); round++) {
			long[][] batch = new long[3][WAKES_PER_ROUND];
			for (int i = 0; i < WAKES_PER_ROUND; i++) {
				batch[0][i] = RoundTrip.afterSilence(call, SILENCE_MILLIS);
				batch[1][i] = RoundTrip.afterSilence(unix, SILENCE_MILLIS);
				batch[2][i] = RoundTrip.afterSilence(ring, SILENCE_MILLIS);
			}
			callTimes.addRound(batch[0]);
			unixTimes.addRound(batch[1]);
			ringTimes.addRound(batch[2]);
		}
		boolean fast = callTimes.median() < WAKE_TARGET_NANOS;
		results.add(Row.judged("first call after " + SILENCE_MILLIS + " ms of silence", Units.latency(callTimes),
				"Unix-domain socket " + Units.latency(unixTimes), Units.times(callTimes.median() / unixTimes.median()),
				"< 100 us median, with both idle rows met", fast && idleMet));
		double toRawRing = callTimes.median() / ringTimes.median();
		results.add(Row.judged("first call after " + SILENCE_MILLIS + " ms vs raw ring, reader asleep on a futex",
				Units.nanos(callTimes.median()), "raw ring " + Units.latency(ringTimes), Units.times(toRawRing),
				"<= 1.2x raw ring", toRawRing <= 1.2));
	}

	/**
	 * The idle master's JVM and its worker's pid.
	 * @param jvm the master's JVM
	 * @param workerPid its worker's process id
	 */
	record IdleMasterJvm(ChildJvm jvm, long workerPid) implements AutoCloseable {

		@Override
		public void close() {
			this.jvm.close();
		}

	}

}
