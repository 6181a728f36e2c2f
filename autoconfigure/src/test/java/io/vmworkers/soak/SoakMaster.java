package io.vmworkers.soak;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The soak's master, a child process of {@link SoakRunner} so that the driver can SIGKILL it.
 * <ul>
 * <li>{@code run <seconds> <kill-interval-ms>}: the load, with the {@link WorkerKiller}, for that
 * long; then stops, closes the context and prints a {@link MasterReport}.</li>
 * <li>{@code victim}: the load without kills; prints {@value #READY_LINE} once it runs and waits to be
 * killed.</li>
 * </ul>
 */
public final class SoakMaster {

	static final String READY_LINE = "soak-master-loaded";

	private static final Duration VICTIM_LIFETIME = Duration.ofMinutes(2);

	/** The streams' last worker processes carry traffic this long before the load stops. */
	private static final Duration SETTLE = Duration.ofSeconds(2);

	private SoakMaster() {
	}

	public static void main(String[] args) throws Exception {
		boolean victim = args[0].equals("victim");
		Map<String, Long> report = new LinkedHashMap<>();
		Disruptions disruptions = new Disruptions();
		long descriptorsWhileRunning;
		try (ConfigurableApplicationContext context = start()) {
			VmDispatcher dispatcher = context.getBean(VmDispatcher.class);
			Map<String, SoakTask> tasks = new LinkedHashMap<>();
			tasks.put("soakA", context.getBean(SoakTaskA.class));
			tasks.put("soakB", context.getBean(SoakTaskB.class));
			Load load = new Load(dispatcher, tasks, disruptions);
			load.start();
			if (victim) {
				System.out.println(READY_LINE);
				TimeUnit.NANOSECONDS.sleep(VICTIM_LIFETIME.toNanos());
				System.out.println("the victim master was not killed within " + VICTIM_LIFETIME);
				System.exit(3);
			}
			descriptorsWhileRunning = Leftovers.openDescriptors();
			WorkerKiller killer = new WorkerKiller(dispatcher, List.copyOf(tasks.keySet()), disruptions);
			killer.run(Duration.ofSeconds(Long.parseLong(args[1])), Duration.ofMillis(Long.parseLong(args[2])));
			TimeUnit.NANOSECONDS.sleep(SETTLE.toNanos());
			load.finish();
			load.addTo(report);
			killer.addTo(report);
			report.put("restarts.unplanned", unplannedStarts(dispatcher, report));
			load.anomalies().forEach((anomaly) -> System.out.println("ANOMALY: " + anomaly));
			killer.problems().forEach((problem) -> System.out.println("KILLER: " + problem));
		}
		long self = ProcessHandle.current().pid();
		report.put("leftover.workerProcesses",
				ProcessHandle.current().children().filter(ProcessHandle::isAlive).count()
						+ Leftovers.workerProcesses(self).size());
		report.put("leftover.shmEntries", (long) Leftovers.shmEntries(self).size());
		report.put("descriptors.whileRunning", descriptorsWhileRunning);
		report.put("descriptors.afterClose", Leftovers.openDescriptors());
		System.out.println(new MasterReport(report).format());
		System.exit(0);
	}

	/**
	 * Counts the worker processes started for no reason the soak gave (a heartbeat time-out, a
	 * crash): each kill and each requested restart starts one.
	 */
	private static long unplannedStarts(VmDispatcher dispatcher, Map<String, Long> report) {
		long starts = dispatcher.workers().stream().mapToLong(WorkerHandle::startCount).sum();
		long planned = dispatcher.workers().size() + report.get("kills.ready") + report.get("kills.starting")
				+ report.get("kills.restarting") + report.get("restarts.requested");
		return starts - planned;
	}

	private static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(SoakApplication.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "logging.level.io.vmworkers=warn",
					"vmworkers.jvm-options=-Xmx64m,-XX:TieredStopAtLevel=1", "vmworkers.inherit-jvm-options=false",
					// Small rings, so that every stream object is fragmented (see Chunk.MIN_SIZE).
					"vmworkers.channel.capacity=64KB", "vmworkers.restart.max-restarts=100000",
					"vmworkers.restart.initial-backoff=100ms", "vmworkers.restart.max-backoff=200ms")
			.run();
	}

}
