package io.vmworkers.actuate;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.vmworkers.actuate.CallLatencyRecorder.LatencySummary;
import io.vmworkers.actuate.WorkerSampler.Activity;
import io.vmworkers.dispatch.ChannelStatistics;
import io.vmworkers.dispatch.ExitInfo;
import io.vmworkers.dispatch.Heartbeat;
import io.vmworkers.dispatch.RecycleInfo;
import io.vmworkers.dispatch.ReplicaHandle;
import io.vmworkers.dispatch.Transport;
import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.util.Assert;

/**
 * The {@code vmworkers} actuator endpoint: every worker's state, processes and channel, each
 * process of its pool ({@code replicas}), and restarting or stopping one worker. A read of one unknown worker answers 404; the write
 * operation exists only when the endpoint's access is unrestricted.
 */
@Endpoint(id = "vmworkers")
public class VmWorkersEndpoint {

	/** The write operation's actions. */
	public static final List<String> ACTIONS = List.of("restart", "stop");

	private final VmDispatcher dispatcher;

	private final WorkerSampler sampler;

	/**
	 * Creates the endpoint.
	 * @param dispatcher the workers
	 * @param sampler their recent activity
	 */
	public VmWorkersEndpoint(VmDispatcher dispatcher, WorkerSampler sampler) {
		Assert.notNull(dispatcher, "'dispatcher' must not be null");
		Assert.notNull(sampler, "'sampler' must not be null");
		this.dispatcher = dispatcher;
		this.sampler = sampler;
	}

	/**
	 * Describes every worker.
	 * @return the workers, in bean definition order
	 */
	@ReadOperation
	public WorkersDescriptor workers() {
		InetSocketAddress tcp = this.dispatcher.tcpAddress();
		return new WorkersDescriptor(this.dispatcher.workers().stream().map(this::describe).toList(),
				(tcp != null) ? tcp.getAddress().getHostAddress() + ":" + tcp.getPort() : null);
	}

	/**
	 * Describes one worker.
	 * @param name the worker's name
	 * @return the worker, or null (404) when there is no such worker
	 */
	@ReadOperation
	public WorkerDescriptor worker(@Selector String name) {
		WorkerHandle worker = find(name);
		return (worker != null) ? describe(worker) : null;
	}

	/**
	 * Restarts or stops one worker and describes it afterwards. A restart waits until the new
	 * process is ready ({@code vmworkers.startup-timeout}); it also starts a stopped worker.
	 * @param name the worker's name
	 * @param action {@code restart} or {@code stop}
	 * @return the worker, or null when there is no such worker
	 * @throws InvalidEndpointRequestException for another action
	 */
	@WriteOperation
	public WorkerDescriptor control(@Selector String name, String action) {
		String verb = (action != null) ? action.trim().toLowerCase(Locale.ROOT) : "";
		if (!ACTIONS.contains(verb)) {
			throw new InvalidEndpointRequestException(
					"unknown action '" + action + "' for worker '" + name + "'; actions: " + ACTIONS,
					"unknown action; actions: " + ACTIONS);
		}
		WorkerHandle worker = find(name);
		if (worker == null) {
			return null;
		}
		if (verb.equals("restart")) {
			worker.restart();
		}
		else {
			worker.close();
		}
		return describe(worker);
	}

	private WorkerHandle find(String name) {
		try {
			return this.dispatcher.worker(name);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private WorkerDescriptor describe(WorkerHandle worker) {
		Instant now = Instant.now();
		WorkerState state = worker.state();
		boolean running = WorkerSampler.running(state);
		Instant startedAt = worker.startedAt();
		Duration heartbeatAge = worker.heartbeatAge();
		Activity activity = this.sampler.activity(worker.name());
		ChannelStatistics statistics = worker.statistics();
		CallsDescriptor calls = calls(statistics, PoolFigures.callsInFlight(worker), activity,
				this.sampler.latency(worker.name()));
		List<ReplicaDescriptor> replicas = worker.replicas()
			.stream()
			.map((place) -> describe(worker, place, now))
			.toList();
		return new WorkerDescriptor(worker.name(), PoolFigures.name(state), running ? worker.pid() : -1,
				running ? worker.debugPort() : -1, running ? worker.location() : null, startedAt,
				(running && startedAt != null) ? millisBetween(startedAt, now) : null, worker.startCount(),
				PoolFigures.restarts(worker), (running && heartbeatAge != null) ? heartbeatAge.toMillis() : null,
				exit(worker.lastExit()), process(running ? PoolFigures.heap(worker) : null, running ? activity : null),
				channel(worker.transport(), statistics, activity), calls, replicas);
	}

	private ReplicaDescriptor describe(WorkerHandle worker, ReplicaHandle place, Instant now) {
		WorkerState state = place.state();
		boolean running = WorkerSampler.running(state);
		Instant startedAt = place.startedAt();
		Duration heartbeatAge = place.heartbeatAge();
		Activity activity = this.sampler.activity(worker.name(), place.index());
		ChannelStatistics statistics = place.statistics();
		RecycleInfo recycle = place.lastRecycle();
		return new ReplicaDescriptor(place.index(), place.role().name().toLowerCase(Locale.ROOT),
				PoolFigures.name(state), running ? place.pid() : -1, running ? place.debugPort() : -1,
				running ? place.location() : null, startedAt,
				(running && startedAt != null) ? millisBetween(startedAt, now) : null, place.startCount(),
				(running && heartbeatAge != null) ? heartbeatAge.toMillis() : null, exit(place.lastExit()),
				(recycle != null) ? new RecycleDescriptor(recycle.pid(), recycle.reason(), recycle.at()) : null,
				process(running ? place.lastHeartbeat() : null, running ? activity : null),
				channel(worker.transport(), statistics, activity), new ReplicaCallsDescriptor(statistics.callsCompleted(),
						statistics.callsFailed(), place.callsInFlight(), round(activity.callsPerSecond(), 2)));
	}

	private static ProcessDescriptor process(Heartbeat heartbeat, Activity activity) {
		boolean sampled = activity != null && activity.residentBytes() >= 0;
		return new ProcessDescriptor((heartbeat != null) ? heartbeat.heapUsed() : null,
				(heartbeat != null && heartbeat.heapMax() >= 0) ? heartbeat.heapMax() : null,
				(sampled && activity.cpuUsage() >= 0) ? round(activity.cpuUsage(), 4) : null,
				sampled ? round(activity.cpuTimeNanos() / 1e9, 2) : null, sampled ? activity.residentBytes() : null);
	}

	private static ChannelDescriptor channel(Transport transport, ChannelStatistics statistics, Activity activity) {
		return new ChannelDescriptor(transport.name().toLowerCase(Locale.ROOT),
				direction(statistics.capacity(), statistics.bytesWaitingToWorker(), statistics.messagesToWorker(),
						statistics.bytesToWorker(), activity.messagesToWorkerPerSecond(),
						activity.bytesToWorkerPerSecond()),
				direction(statistics.capacity(), statistics.bytesWaitingFromWorker(), statistics.messagesFromWorker(),
						statistics.bytesFromWorker(), activity.messagesFromWorkerPerSecond(),
						activity.bytesFromWorkerPerSecond()),
				statistics.wakeUpsOfWorker());
	}

	private static DirectionDescriptor direction(long capacity, long waiting, long messages, long bytes,
			double messagesPerSecond, double bytesPerSecond) {
		return new DirectionDescriptor(capacity, waiting, messages, bytes, round(messagesPerSecond, 2),
				round(bytesPerSecond, 2));
	}

	private static CallsDescriptor calls(ChannelStatistics statistics, int inFlight, Activity activity,
			LatencySummary latency) {
		boolean timed = latency.count() > 0;
		return new CallsDescriptor(statistics.callsCompleted(), statistics.callsFailed(), inFlight,
				round(activity.callsPerSecond(), 2), latency.count(), timed ? round(latency.p50Nanos() / 1e6, 3) : null,
				timed ? round(latency.p99Nanos() / 1e6, 3) : null);
	}

	private static double round(double value, int decimals) {
		double scale = Math.pow(10, decimals);
		return Math.round(value * scale) / scale;
	}

	private static long millisBetween(Instant from, Instant to) {
		return Math.max(0, Duration.between(from, to).toMillis());
	}

	private static ExitDescriptor exit(ExitInfo exit) {
		if (exit == null) {
			return null;
		}
		return new ExitDescriptor(exit.pid(), exit.exitCode(), signal(exit), exit.description(), exit.at(),
				exit.expected(), exit.outputTail());
	}

	/** The JDK reports death by signal n as exit code 128 + n; the description names the signal. */
	private static String signal(ExitInfo exit) {
		int exitCode = exit.exitCode();
		if (exitCode <= 128 || exitCode >= 128 + 65) {
			return null;
		}
		String description = (exit.description() != null) ? exit.description() : "";
		int start = description.indexOf("SIG");
		if (start < 0) {
			return "signal " + (exitCode - 128);
		}
		int end = start;
		while (end < description.length() && Character.isLetterOrDigit(description.charAt(end))) {
			end++;
		}
		return description.substring(start, end);
	}

	/**
	 * Every worker.
	 * @param workers the workers, in bean definition order
	 * @param tcpAddress where the master listens for its workers on the TCP transport ({@code host:port}),
	 * or null while none has been launched
	 */
	public record WorkersDescriptor(List<WorkerDescriptor> workers, String tcpAddress) {

	}

	/**
	 * One worker: its pool as a whole, then each place of it. With one replica and no spare, the
	 * worker's figures are those of its one process.
	 * @param name its name (the {@code @WorkerTask} bean's name)
	 * @param state {@code new}, {@code starting}, {@code ready}, {@code restarting}, {@code stopping},
	 * {@code stopped} or {@code failed}; {@code ready} while at least one replica serves
	 * @param pid the process id of the first serving replica, or -1 when no process runs
	 * @param debugPort the port that process listens on for a debugger, or -1 when it has none
	 * @param location where that process runs when it is not on this machine (a pod and its node),
	 * or null
	 * ({@code vmworkers.workers.<name>.debug.port})
	 * @param startedAt when the current (or last) process was started, or null before the first start
	 * @param uptimeMillis how long the current process has run, or null when none runs
	 * @param startCount how many processes were started for this worker, all places counted
	 * @param restarts processes started after the pool's first ones: {@code startCount} less one per
	 * place, at least 0
	 * @param heartbeatAgeMillis how long ago the last heartbeat of the first serving replica arrived,
	 * or null when none did
	 * @param lastExit how the last process that exited ended, whichever its place, or null when none has
	 * @param process the pool's memory and CPU: each figure is the sum over its running processes,
	 * replicas and spares, that have it (a spare's JVM takes memory too); with one process, that
	 * process's
	 * @param channel the channel's two directions, all places summed
	 * @param calls calls of the worker's methods, all places summed
	 * @param replicas each place of the pool, replicas (index 0 to replicas - 1) then spares
	 */
	public record WorkerDescriptor(String name, String state, long pid, int debugPort, String location,
			Instant startedAt, Long uptimeMillis,
			int startCount, int restarts, Long heartbeatAgeMillis, ExitDescriptor lastExit, ProcessDescriptor process,
			ChannelDescriptor channel, CallsDescriptor calls, List<ReplicaDescriptor> replicas) {

	}

	/**
	 * One place of a worker's pool: a replica serving calls, or a spare kept ready to take a
	 * replica's place. The place stays while the processes in it change.
	 * @param index its index in the pool: replicas first (0 to replicas - 1), then spares
	 * @param role {@code replica} or {@code spare}
	 * @param state the state of its process, as a worker's
	 * @param pid its process id, or -1 when no process runs in it
	 * @param debugPort the port its process listens on for a debugger, or -1 when it has none
	 * @param location where its process runs when it is not on this machine (a pod and its node), or
	 * null
	 * @param startedAt when its current (or last) process was started, or null before the first start
	 * @param uptimeMillis how long its current process has run, or null when none runs
	 * @param startCount how many processes were started for this place
	 * @param heartbeatAgeMillis how long ago its process's last heartbeat arrived, or null when none did
	 * @param lastExit how the last process that left this place ended, or null when none has
	 * @param lastRecycle why the last process of this place was replaced while healthy, or null
	 * @param process its process's memory and CPU
	 * @param channel its own channel's two directions
	 * @param calls calls sent to its processes
	 */
	public record ReplicaDescriptor(int index, String role, String state, long pid, int debugPort, String location,
			Instant startedAt,
			Long uptimeMillis, int startCount, Long heartbeatAgeMillis, ExitDescriptor lastExit,
			RecycleDescriptor lastRecycle, ProcessDescriptor process, ChannelDescriptor channel,
			ReplicaCallsDescriptor calls) {

	}

	/**
	 * Why a healthy process was replaced (recycled).
	 * @param pid the replaced process's pid
	 * @param reason for example {@code 2000 calls (vmworkers.workers.echo.recycle.max-calls=2000)}
	 * @param at when its replacement took over
	 */
	public record RecycleDescriptor(long pid, String reason, Instant at) {

	}

	/**
	 * Calls sent to one place of a pool, since the master started.
	 * @param completed calls that returned or threw
	 * @param failed calls that threw, timed out or lost their worker
	 * @param inFlight calls sent and not yet answered
	 * @param perSecond calls completed per second over the last 10 seconds
	 */
	public record ReplicaCallsDescriptor(long completed, long failed, int inFlight, double perSecond) {

	}

	/**
	 * How a worker process ended.
	 * @param pid its pid
	 * @param exitCode the exit code as the JDK reports it (128 + n for signal n)
	 * @param signal the signal that ended it, such as {@code SIGKILL}, or null
	 * @param description for example {@code exit code 137 (SIGKILL, signal 9)}
	 * @param at when the exit was seen
	 * @param expected whether the master had asked it to stop
	 * @param outputTail the last lines it printed
	 */
	public record ExitDescriptor(long pid, int exitCode, String signal, String description, Instant at,
			boolean expected, List<String> outputTail) {

	}

	/**
	 * A worker JVM's resources, or for a worker as a whole the sums over its pool's running
	 * processes; each is null when unknown (no process, no heartbeat yet, or no {@code /proc}).
	 * @param heapUsed heap in use, in bytes, from the worker's last heartbeat
	 * @param heapMax the heap's limit, in bytes, from the worker's last heartbeat
	 * @param cpuUsage CPU use over the last second, as a fraction of all the machine's CPUs
	 * @param cpuTimeSeconds CPU time the process has used
	 * @param residentMemory resident memory, in bytes
	 */
	public record ProcessDescriptor(Long heapUsed, Long heapMax, Double cpuUsage, Double cpuTimeSeconds,
			Long residentMemory) {

	}

	/**
	 * A worker's channel, as the master sees it.
	 * @param transport what carries it: {@code shm} or {@code tcp}
	 * @param toWorker the ring from the master to the worker
	 * @param fromWorker the ring from the worker to the master
	 * @param workerWakeUps times the master woke the worker from its sleep to read what it sent, each a
	 * scheduler wake-up on its way (see {@code vmworkers.workers.<name>.idle})
	 */
	public record ChannelDescriptor(String transport, DirectionDescriptor toWorker, DirectionDescriptor fromWorker, long workerWakeUps) {

	}

	/**
	 * One direction of a channel. Counts include every message (data, calls, replies,
	 * heartbeats) since the master started, across restarts.
	 * @param capacity the ring's size in bytes
	 * @param bytesWaiting bytes written and not yet read
	 * @param messages messages so far
	 * @param bytes payload bytes so far
	 * @param messagesPerSecond messages per second over the last 10 seconds
	 * @param bytesPerSecond payload bytes per second over the last 10 seconds
	 */
	public record DirectionDescriptor(long capacity, long bytesWaiting, long messages, long bytes,
			double messagesPerSecond, double bytesPerSecond) {

	}

	/**
	 * Calls of a worker's methods from the master.
	 * @param completed calls that returned or threw, since the master started
	 * @param failed calls that threw, timed out or lost their worker
	 * @param inFlight calls sent and not yet answered, all places of the pool summed
	 * @param perSecond calls completed per second over the last 10 seconds
	 * @param sampled how many calls of the last 10 seconds (at most the latest 1024) the
	 * percentiles are computed from
	 * @param p50Millis the median latency, in milliseconds, or null without calls
	 * @param p99Millis the 99th percentile latency, in milliseconds, or null without calls
	 */
	public record CallsDescriptor(long completed, long failed, int inFlight, double perSecond, int sampled,
			Double p50Millis, Double p99Millis) {

	}

}
