package io.vmworkers.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Soak run (not part of the build's tests; see scripts/soak.sh): steady calls to two workers while
 * a random worker is killed with SIGKILL every few seconds. Reports the calls that failed although
 * they were not in flight at a kill of their worker (between the SIGKILL and the master seeing the
 * exit; must be 0), restart times, and the process, file-descriptor and /dev/shm counts once the
 * workers are up and after the run.
 */
public final class SoakRunner {

	private static final List<String> WORKERS = List.of("soakA", "soakB");

	private SoakRunner() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("cycles")) {
			cycles((args.length > 1) ? Integer.parseInt(args[1]) : 200);
			return;
		}
		Duration duration = Duration.ofSeconds((args.length > 0) ? Long.parseLong(args[0]) : 60);
		Duration killEvery = Duration.ofMillis((args.length > 1) ? Long.parseLong(args[1]) : 3000);
		Counts before = null;
		Map<String, List<long[]>> kills = new ConcurrentHashMap<>();
		List<Long> restartMillis = new CopyOnWriteArrayList<>();
		List<String> unexpected = new CopyOnWriteArrayList<>();
		AtomicLong ok = new AtomicLong();
		AtomicLong failedInFlight = new AtomicLong();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SoakApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "logging.level.io.vmworkers=warn",
					"vmworkers.jvm-options=-Xmx64m,-XX:TieredStopAtLevel=1", "vmworkers.inherit-jvm-options=false",
					"vmworkers.restart.max-restarts=100000", "vmworkers.restart.initial-backoff=100ms",
					"vmworkers.restart.max-backoff=200ms")
			.run()) {
			VmDispatcher dispatcher = context.getBean(VmDispatcher.class);
			Map<String, IntUnaryOperator> calls = Map.of("soakA", context.getBean(SoakTaskA.class)::inc, "soakB",
					context.getBean(SoakTaskB.class)::inc);
			WORKERS.forEach((name) -> kills.put(name, new CopyOnWriteArrayList<>()));
			calls.values().forEach((call) -> call.applyAsInt(0));
			before = Counts.now();
			AtomicBoolean running = new AtomicBoolean(true);
			List<Thread> callers = new ArrayList<>();
			for (String name : WORKERS) {
				Thread caller = new Thread(() -> {
					int i = 0;
					while (running.get()) {
						long start = System.nanoTime();
						try {
							if (calls.get(name).applyAsInt(i) != i + 1) {
								unexpected.add(name + ": wrong answer for " + i);
							}
							ok.incrementAndGet();
						}
						catch (RuntimeException ex) {
							long end = System.nanoTime();
							boolean inFlight = kills.get(name)
								.stream()
								.anyMatch((kill) -> start <= kill[1] && end >= kill[0]);
							if (inFlight) {
								failedInFlight.incrementAndGet();
							}
							else {
								unexpected.add(name + ": " + ex);
							}
						}
						i++;
					}
				}, "soak-caller-" + name);
				caller.start();
				callers.add(caller);
			}
			long deadline = System.nanoTime() + duration.toNanos();
			while (System.nanoTime() < deadline) {
				TimeUnit.NANOSECONDS.sleep(killEvery.toNanos());
				String name = WORKERS.get(ThreadLocalRandom.current().nextInt(WORKERS.size()));
				WorkerHandle worker = dispatcher.worker(name);
				long pid = worker.pid();
				if (worker.state() != WorkerState.READY) {
					continue;
				}
				long[] kill = { System.nanoTime(), Long.MAX_VALUE };
				long killedAt = kill[0];
				kills.get(name).add(kill);
				ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
				while (worker.state() == WorkerState.READY && worker.pid() == pid) {
					TimeUnit.MILLISECONDS.sleep(1);
				}
				// The exit has been seen: calls from now on must wait for the new worker, not fail.
				kill[1] = System.nanoTime();
				while (!(worker.state() == WorkerState.READY && worker.pid() != pid)) {
					TimeUnit.MILLISECONDS.sleep(5);
				}
				restartMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
			}
			running.set(false);
			for (Thread caller : callers) {
				caller.join(30_000);
			}
		}
		Counts after = Counts.now();
		List<Long> sorted = new ArrayList<>(restartMillis);
		Collections.sort(sorted);
		System.out.println();
		System.out.println("| soak | value |");
		System.out.println("| --- | --- |");
		System.out.printf("| duration | %d s, a kill every %d ms |%n", duration.toSeconds(), killEvery.toMillis());
		System.out.printf("| kills | %d |%n", sorted.size());
		System.out.printf("| calls answered | %d |%n", ok.get());
		System.out.printf("| calls failed while a kill of their worker was in flight | %d |%n", failedInFlight.get());
		System.out.printf("| calls failed otherwise (must be 0) | %d |%n", unexpected.size());
		System.out.printf("| restart time p50 / p99 | %s / %s ms |%n", percentile(sorted, 50), percentile(sorted, 99));
		System.out.printf("| worker processes while running / after close | %d / %d |%n", before.children, after.children);
		System.out.printf("| master file descriptors while running / after close | %d / %d |%n", before.descriptors,
				after.descriptors);
		System.out.printf("| /dev/shm vmworkers files while running / after close | %d / %d |%n", before.shmFiles,
				after.shmFiles);
		unexpected.stream().limit(10).forEach((failure) -> System.out.println("unexpected: " + failure));
		// Kills and restarts must not leak: after close, no more descriptors than while running.
		boolean clean = after.children == 0 && after.shmFiles == 0 && after.descriptors <= before.descriptors;
		System.exit((unexpected.isEmpty() && clean) ? 0 : 1);
	}

	/**
	 * Starts and stops the application {@code count} times, then checks that no process, descriptor,
	 * mapping or file is left (mappings once the garbage collector has released closed channels).
	 */
	private static void cycles(int count) throws Exception {
		Supplier<ConfigurableApplicationContext> start = () -> new SpringApplicationBuilder(SoakApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "logging.level.root=warn",
					"vmworkers.jvm-options=-Xmx64m,-XX:TieredStopAtLevel=1", "vmworkers.inherit-jvm-options=false")
			.run();
		start.get().close();
		System.gc();
		Counts before = Counts.now();
		long mappingsBefore = channelMappings();
		long began = System.nanoTime();
		for (int i = 0; i < count; i++) {
			try (ConfigurableApplicationContext context = start.get()) {
				context.getBean(SoakTaskA.class).inc(i);
			}
		}
		System.gc();
		Counts after = Counts.now();
		long mappingsAfter = channelMappings();
		System.out.println();
		System.out.println("| start/stop cycles | value |");
		System.out.println("| --- | --- |");
		System.out.printf("| cycles (2 workers each) | %d in %d s |%n", count,
				TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began));
		System.out.printf("| worker processes before / after | %d / %d |%n", before.children, after.children);
		System.out.printf("| master file descriptors before / after | %d / %d |%n", before.descriptors, after.descriptors);
		System.out.printf("| channel mappings before / after (after a GC) | %d / %d |%n", mappingsBefore, mappingsAfter);
		System.out.printf("| /dev/shm vmworkers entries before / after | %d / %d |%n", before.shmFiles, after.shmFiles);
		boolean clean = after.children == 0 && after.shmFiles == 0 && after.descriptors <= before.descriptors
				&& mappingsAfter <= mappingsBefore;
		System.exit(clean ? 0 : 1);
	}

	private static long channelMappings() throws IOException {
		try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
			return maps.filter((line) -> line.contains("/vmworkers-")).count();
		}
	}

	private static String percentile(List<Long> sorted, int percentile) {
		if (sorted.isEmpty()) {
			return "-";
		}
		return Long.toString(sorted.get(Math.min(sorted.size() - 1, sorted.size() * percentile / 100)));
	}

	private record Counts(long children, long descriptors, long shmFiles) {

		static Counts now() throws IOException {
			try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"));
					Stream<Path> shm = Files.list(Path.of("/dev/shm"))) {
				return new Counts(ProcessHandle.current().children().filter(ProcessHandle::isAlive).count(), fds.count(),
						shm.filter((file) -> file.getFileName().toString().matches("vmworkers-\\d+-\\d+")).count());
			}
		}

	}

}
