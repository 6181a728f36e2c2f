package io.vmworkers.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.vmworkers.dispatch.ReplicaHandle;
import io.vmworkers.dispatch.ReplicaRole;
import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Pools: the same batch of CPU-bound calls on a pool of two replicas and on a pool of one, against
 * two threads and one thread of the master (what the machine allows at that moment); then the cost
 * of routing, a single-threaded {@code inc(int)} loop on a pool of two against a pool of one,
 * interleaved with the raw ring. Both pools live in one master ({@link PoolTask}).
 */
final class PoolCases {

	/** About 0.4 s of work for one thread here, as in {@link ParallelCases}. */
	private static final long FIRST = 1_000_000;

	private static final long END = 2_600_000;

	/**
	 * Calls in the batch. A replica runs one call at a time as long as it has one in flight: a second
	 * call sent to a replica still busy with a long one would run on its relief thread, on another
	 * core. So the batch keeps as many calls in flight as the pool has replicas, and the threads the
	 * same number of tasks running.
	 */
	private static final int PARTS = 8;

	/** From the issue: 2 replicas at least 1.8x one replica. */
	private static final double SPEEDUP_TARGET = 1.8;

	/** From the issue: routing adds at most 10 % to a call. */
	private static final double ROUTING_TARGET = 1.10;

	/** As in {@link CallCases}: a raw ring round trip above this did not get its two cores. */
	private static final double RAW_DISTURBED_NANOS = 20_000;

	/** How long a pool may take to have all its processes ready. */
	private static final Duration POOL_READY_TIMEOUT = Duration.ofSeconds(60);

	private static final long POOL_POLL_MILLIS = 20;

	/** Workers of this group: small heaps; the last -Xmx given wins over the suite's default. */
	static final String WORKER_HEAP = "-Xmx96m";

	private final Plan plan;

	PoolCases(Plan plan) {
		this.plan = plan;
	}

	void run(Results results) throws Exception {
		try (ConfigurableApplicationContext context = Masters.start(BenchmarkApplication.POOLS,
				"vmworkers.workers." + PoolTask.ONE + ".replicas=1", "vmworkers.workers." + PoolTask.TWO + ".replicas=2",
				"vmworkers.workers." + PoolTask.ONE + ".jvm-options=" + WORKER_HEAP,
				"vmworkers.workers." + PoolTask.TWO + ".jvm-options=" + WORKER_HEAP)) {
			VmDispatcher dispatcher = context.getBean(VmDispatcher.class);
			WorkerHandle oneHandle = dispatcher.worker(PoolTask.ONE);
			WorkerHandle twoHandle = dispatcher.worker(PoolTask.TWO);
			awaitPool(oneHandle, 1, 0);
			awaitPool(twoHandle, 2, 0);
			PoolTask one = context.getBean(PoolTask.One.class);
			PoolTask two = context.getBean(PoolTask.Two.class);
			batch(results, one, two);
			routing(results, one, two, twoHandle);
		}
	}

	/** Row 1: the CPU-bound batch over 1 and 2 replicas, and over 1 and 2 threads. */
	private void batch(Results results, PoolTask one, PoolTask two) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try {
			long expected = Workloads.collatzSteps(FIRST, END, 0, 1);
			Samples oneThread = new Samples();
			Samples twoThreads = new Samples();
			Samples oneReplica = new Samples();
			Samples twoReplicas = new Samples();
			Map<Long, Integer> callsPerPid = new TreeMap<>();
			// Two unmeasured rounds compile the job in every JVM, every replica included.
			for (int round = -2; round < this.plan.rounds(); round++) {
				long thread = time(() -> {
					long total = 0;
					for (int part = 0; part < PARTS; part++) {
						total += Workloads.collatzSteps(FIRST, END, part, PARTS);
					}
					return total;
				}, expected);
				long threadPair = time(() -> {
					List<Future<Long>> parts = new ArrayList<>();
					for (int part = 0; part < PARTS; part++) {
						int index = part;
						parts.add(threads.submit(() -> Workloads.collatzSteps(FIRST, END, index, PARTS)));
					}
					long total = 0;
					for (Future<Long> part : parts) {
						total += part.get();
					}
					return total;
				}, expected);
				long replica = time(() -> spread(one, 1, new TreeMap<>()), expected);
				Map<Long, Integer> pids = new TreeMap<>();
				long replicaPair = time(() -> spread(two, 2, pids), expected);
				if (round >= 0) {
					oneThread.add(thread);
					twoThreads.add(threadPair);
					oneReplica.add(replica);
					twoReplicas.add(replicaPair);
					pids.forEach((pid, calls) -> callsPerPid.merge(pid, calls, Integer::sum));
				}
			}
			double pool = oneReplica.median() / twoReplicas.median();
			double machine = oneThread.median() / twoThreads.median();
			String spread = callsPerPid.values().stream().map(String::valueOf).collect(Collectors.joining("+"));
			// Two threads of one JVM below the target show that two cores were not free: no verdict then.
			results.add(Row.judged("pools: CPU-bound batch (" + PARTS + " calls, 2 in flight) on 2 replicas vs 1 replica,"
					+ " speedup", speedup(pool) + " (" + Units.nanos(oneReplica.median()) + " -> "
							+ Units.nanos(twoReplicas.median()) + ", spread " + Units.percent(twoReplicas.spread())
							+ "; calls per replica " + spread + ")",
					"2 threads vs 1 thread " + speedup(machine) + " (" + Units.nanos(oneThread.median()) + " -> "
							+ Units.nanos(twoThreads.median()) + ")",
					speedup(pool), ">= 1.8x", pool >= SPEEDUP_TARGET)
				.unjudgedIf(machine < SPEEDUP_TARGET));
		}
		finally {
			threads.shutdownNow();
		}
	}

	/**
	 * Runs the batch's calls on a pool with at most {@code inFlight} of them unanswered: a call is
	 * sent when an answer frees its slot (the caller blocks on a semaphore, it does not spin).
	 * @param pool the pool
	 * @param inFlight calls in flight at most
	 * @param callsPerPid counts the calls each replica answered
	 * @return the batch's checksum
	 */
	private static long spread(PoolTask pool, int inFlight, Map<Long, Integer> callsPerPid) throws Exception {
		Semaphore slots = new Semaphore(inFlight);
		List<CompletableFuture<long[]>> answers = new ArrayList<>();
		for (int part = 0; part < PARTS; part++) {
			slots.acquire();
			CompletableFuture<long[]> answer = pool.collatzSteps(FIRST, END, part, PARTS);
			answer.whenComplete((value, failure) -> slots.release());
			answers.add(answer);
		}
		long total = 0;
		for (CompletableFuture<long[]> answer : answers) {
			long[] value = answer.join();
			total += value[0];
			callsPerPid.merge(value[1], 1, Integer::sum);
		}
		return total;
	}

	/** Row 3: one thread calling inc(int) on a pool of two and on a pool of one, and the raw ring. */
	private void routing(Results results, PoolTask one, PoolTask two, WorkerHandle twoHandle) throws Exception {
		try (RawRingPeer ring = RawRingPeer.start(Path.of("/dev/shm"))) {
			RoundTrip raw = ring.roundTrip();
			RoundTrip single = RoundTrip.of("replicas=1", one::inc);
			RoundTrip pair = RoundTrip.of("replicas=2", two::inc);
			long[] callsBefore = callsCompleted(twoHandle);
			Map<RoundTrip, Samples> samples = RoundTrip.interleaved(this.plan, List.of(raw, single, pair));
			long[] callsAfter = callsCompleted(twoHandle);
			Samples rawTimes = samples.get(raw);
			Samples oneTimes = samples.get(single);
			Samples twoTimes = samples.get(pair);
			boolean disturbed = rawTimes.median() > RAW_DISTURBED_NANOS;
			double ratio = twoTimes.median() / oneTimes.median();
			results.add(Row.judged("pools: call inc(int) round trip, one thread, replicas=2 vs replicas=1 (routing),"
					+ " median", Units.latency(twoTimes) + "; calls per replica " + share(callsBefore, callsAfter),
					"replicas=1 " + Units.latency(oneTimes), Units.format("%.2fx", ratio), "<= 1.10x",
					ratio <= ROUTING_TARGET)
				.unjudgedIf(disturbed));
			results.add(Row.info("pools: call inc(int) round trip on replicas=1 vs the raw ring, median (as the calls"
					+ " group's row)", Units.latency(oneTimes), raw.name() + " " + Units.latency(rawTimes),
					Units.times(oneTimes.median() / rawTimes.median())));
		}
	}

	/** Calls completed by each place of a pool, in index order. */
	private static long[] callsCompleted(WorkerHandle worker) {
		return worker.replicas().stream().mapToLong((place) -> place.statistics().callsCompleted()).toArray();
	}

	/** Each place's share of the calls completed between two counts, as "50%/50%". */
	private static String share(long[] before, long[] after) {
		if (before.length == 0 || before.length != after.length) {
			return "n/a";
		}
		long total = 0;
		for (int i = 0; i < after.length; i++) {
			total += after[i] - before[i];
		}
		List<String> shares = new ArrayList<>();
		for (int i = 0; i < after.length; i++) {
			shares.add(Units.percent((total > 0) ? (double) (after[i] - before[i]) / total : Double.NaN));
		}
		return String.join("/", shares);
	}

	/**
	 * Waits until a pool has all its processes ready: {@code replicas} serving and {@code spares}
	 * standing by, each with a pid of its own. Sleeps between looks.
	 * @param worker the pool
	 * @param replicas serving processes expected
	 * @param spares spares expected
	 * @return the places
	 * @throws IllegalStateException when the pool is not complete within a minute, with what it has
	 */
	static List<? extends ReplicaHandle> awaitPool(WorkerHandle worker, int replicas, int spares)
			throws InterruptedException {
		long deadline = System.nanoTime() + POOL_READY_TIMEOUT.toNanos();
		while (true) {
			List<? extends ReplicaHandle> places = worker.replicas();
			long serving = places.stream()
				.filter((place) -> place.role() == ReplicaRole.REPLICA && place.state() == WorkerState.READY)
				.count();
			long standing = places.stream()
				.filter((place) -> place.role() == ReplicaRole.SPARE && place.state() == WorkerState.READY)
				.count();
			long pids = places.stream().mapToLong(ReplicaHandle::pid).filter((pid) -> pid > 0).distinct().count();
			if (places.size() == replicas + spares && serving == replicas && standing == spares
					&& pids == places.size()) {
				return places;
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("worker '" + worker.name() + "' did not have " + replicas
						+ " replicas and " + spares + " spares ready within " + POOL_READY_TIMEOUT.toSeconds()
						+ " s; its places: " + describe(places));
			}
			TimeUnit.MILLISECONDS.sleep(POOL_POLL_MILLIS);
		}
	}

	static String describe(List<? extends ReplicaHandle> places) {
		if (places.isEmpty()) {
			return "none";
		}
		return places.stream()
			.map((place) -> place.index() + " " + place.role() + " pid " + place.pid() + " " + place.state())
			.collect(Collectors.joining(", "));
	}

	private static long time(Job job, long expected) throws Exception {
		long start = System.nanoTime();
		long result = job.run();
		long elapsed = System.nanoTime() - start;
		if (result != expected) {
			throw new IllegalStateException("the batch computed " + result + " instead of " + expected);
		}
		return elapsed;
	}

	/** Two decimals: a speedup just under the target must not print as the target. */
	private static String speedup(double ratio) {
		return Units.format("%.2fx", ratio);
	}

	/** A batch that returns its checksum. */
	@FunctionalInterface
	private interface Job {

		long run() throws Exception;

	}

}
