package io.vmworkers.actuate;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

import io.vmworkers.dispatch.ChannelStatistics;
import io.vmworkers.dispatch.ReplicaHandle;
import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;
import io.vmworkers.dispatch.master.DefaultVmDispatcher;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * Samples every worker once per {@link #INTERVAL} on one daemon thread: the channel counts the
 * channel already keeps, of the worker and of each place of its pool, and the CPU time and
 * resident memory of every running process of the pool (by pid) from {@code /proc}. From the
 * samples of the last {@link #WINDOW} it derives rates. Nothing is added to the channel's path: a
 * sample reads counters that the rings update anyway.
 */
public class WorkerSampler implements SmartLifecycle {

	/** How often workers are sampled. */
	public static final Duration INTERVAL = Duration.ofSeconds(1);

	/** The window rates and latency percentiles are computed over. */
	public static final Duration WINDOW = Duration.ofSeconds(10);

	private static final Log logger = LogFactory.getLog(WorkerSampler.class);

	private final VmDispatcher dispatcher;

	private final CallLatencyRecorder latencies;

	private final LongSupplier nanoTime;

	private final LongFunction<ProcessUsage> processUsage;

	private final int processors = Runtime.getRuntime().availableProcessors();

	private final Map<String, Histories> histories = new ConcurrentHashMap<>();

	/** The latest usage of every running worker process, by pid. */
	private final Map<Long, ProcessTrack> processes = new ConcurrentHashMap<>();

	private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

	private ScheduledExecutorService executor;

	/**
	 * Creates a sampler.
	 * @param dispatcher the workers to sample
	 * @param latencies the latencies of their calls
	 */
	public WorkerSampler(VmDispatcher dispatcher, CallLatencyRecorder latencies) {
		this(dispatcher, latencies, System::nanoTime, ProcessUsage::read);
	}

	WorkerSampler(VmDispatcher dispatcher, CallLatencyRecorder latencies, LongSupplier nanoTime,
			LongFunction<ProcessUsage> processUsage) {
		Assert.notNull(dispatcher, "'dispatcher' must not be null");
		Assert.notNull(latencies, "'latencies' must not be null");
		this.dispatcher = dispatcher;
		this.latencies = latencies;
		this.nanoTime = nanoTime;
		this.processUsage = processUsage;
	}

	/**
	 * Runs a listener on the sampling thread after each sample, for example to follow workers
	 * that come and go. Keep it short.
	 * @param listener the listener
	 */
	public void addListener(Runnable listener) {
		this.listeners.add(listener);
	}

	/**
	 * Samples every worker now; called once per {@link #INTERVAL} while running.
	 */
	public void sample() {
		long now = this.nanoTime.getAsLong();
		Set<String> names = new HashSet<>();
		Map<Long, ProcessTrack> sampled = new HashMap<>();
		for (WorkerHandle worker : this.dispatcher.workers()) {
			names.add(worker.name());
			Histories histories = this.histories.computeIfAbsent(worker.name(), (name) -> new Histories());
			List<? extends ReplicaHandle> places = worker.replicas();
			long[] pids;
			if (places.isEmpty()) {
				// A handle that describes no place: the worker is its own single process.
				pids = new long[] { sampleProcess(now, worker.state(), worker.pid(), sampled) };
			}
			else {
				pids = new long[places.size()];
				Set<Integer> indexes = new HashSet<>();
				for (int i = 0; i < pids.length; i++) {
					ReplicaHandle place = places.get(i);
					pids[i] = sampleProcess(now, place.state(), place.pid(), sampled);
					indexes.add(place.index());
					histories.places.computeIfAbsent(place.index(), (index) -> new Place())
						.add(now, place.statistics(), pids[i]);
				}
				histories.places.keySet().retainAll(indexes);
			}
			histories.pool.add(now, worker.statistics(), pids);
		}
		this.histories.keySet().retainAll(names);
		this.processes.keySet().retainAll(sampled.keySet());
		this.latencies.retain(names);
		for (Runnable listener : this.listeners) {
			try {
				listener.run();
			}
			catch (RuntimeException ex) {
				logger.warn("A vmworkers sample listener failed", ex);
			}
		}
	}

	/**
	 * Reads the usage of one process, once per sample whatever the number of places that name it.
	 * @return the pid, or -1 when no process runs
	 */
	private long sampleProcess(long now, WorkerState state, long pid, Map<Long, ProcessTrack> sampled) {
		if (pid <= 0 || !running(state)) {
			return -1;
		}
		if (sampled.containsKey(pid)) {
			return pid;
		}
		ProcessUsage usage = this.processUsage.apply(pid);
		if (usage == null) {
			this.processes.remove(pid);
			return pid;
		}
		ProcessTrack previous = this.processes.get(pid);
		double cpuUsage = -1;
		if (previous != null && now > previous.at()) {
			double used = usage.cpuTimeNanos() - previous.cpuTimeNanos();
			cpuUsage = Math.max(0, used / (now - previous.at()) / this.processors);
		}
		ProcessTrack track = new ProcessTrack(now, usage.cpuTimeNanos(), usage.residentBytes(), cpuUsage);
		this.processes.put(pid, track);
		sampled.put(pid, track);
		return pid;
	}

	/** Whether a process runs in this state; as the endpoint shows a process's figures. */
	static boolean running(WorkerState state) {
		return state == WorkerState.STARTING || state == WorkerState.READY;
	}

	/**
	 * Returns what the samples of the last {@link #WINDOW} say about a worker: the rates of its
	 * whole channel and, for a pool, the sum of its running processes' figures (replicas and
	 * spares), each figure summed over the processes that have one.
	 * @param worker the worker's name
	 * @return its activity; rates are 0 until two samples exist
	 */
	public Activity activity(String worker) {
		Histories histories = this.histories.get(worker);
		return (histories != null) ? histories.pool.activity(this.processes) : Activity.NONE;
	}

	/**
	 * Returns what the samples of the last {@link #WINDOW} say about one place of a worker's pool:
	 * the rates of its channel and the figures of its current process.
	 * @param worker the worker's name
	 * @param replica the place's index ({@code ReplicaHandle.index()})
	 * @return its activity; rates are 0 until two samples exist
	 */
	public Activity activity(String worker, int replica) {
		Histories histories = this.histories.get(worker);
		Place place = (histories != null) ? histories.places.get(replica) : null;
		return (place != null) ? place.activity(this.processes) : Activity.NONE;
	}

	/**
	 * Returns the latency of a worker's calls that ended in the last {@link #WINDOW}.
	 * @param worker the worker's name
	 * @return the summary
	 */
	public CallLatencyRecorder.LatencySummary latency(String worker) {
		return this.latencies.summary(worker, WINDOW);
	}

	@Override
	public synchronized void start() {
		if (this.executor != null) {
			return;
		}
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "vmworkers-sampler");
			thread.setDaemon(true);
			return thread;
		});
		this.executor.scheduleAtFixedRate(this::sampleQuietly, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void sampleQuietly() {
		try {
			sample();
		}
		catch (RuntimeException ex) {
			// A failed sample must not cancel the schedule: the next one may succeed.
			logger.debug("Sampling vmworkers failed", ex);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	/**
	 * After the dispatcher has started its workers, before it stops them.
	 */
	@Override
	public int getPhase() {
		return DefaultVmDispatcher.PHASE + 1;
	}

	/**
	 * What the recent samples say about one worker, or one place of its pool.
	 * @param messagesToWorkerPerSecond messages per second from the master to the worker
	 * @param bytesToWorkerPerSecond payload bytes per second from the master to the worker
	 * @param messagesFromWorkerPerSecond messages per second from the worker to the master
	 * @param bytesFromWorkerPerSecond payload bytes per second from the worker to the master
	 * @param callsPerSecond calls completed per second
	 * @param cpuUsage the process's CPU use over the last interval, as a fraction of all the
	 * machine's CPUs (as Micrometer's {@code process.cpu.usage}), or -1 when unknown; of a pool, the
	 * sum over its processes
	 * @param cpuTimeNanos the process's CPU time so far, or -1 when unknown; of a pool, the sum over
	 * its current processes
	 * @param residentBytes the process's resident memory, or -1 when unknown; of a pool, the sum
	 * over its processes
	 */
	public record Activity(double messagesToWorkerPerSecond, double bytesToWorkerPerSecond,
			double messagesFromWorkerPerSecond, double bytesFromWorkerPerSecond, double callsPerSecond,
			double cpuUsage, long cpuTimeNanos, long residentBytes) {

		static final Activity NONE = new Activity(0, 0, 0, 0, 0, -1, -1, -1);

	}

	private record Sample(long at, long messagesToWorker, long bytesToWorker, long messagesFromWorker,
			long bytesFromWorker, long callsCompleted) {

	}

	/**
	 * The latest usage of one process and the CPU use since the sample before.
	 * @param at when it was read, on the sampler's clock
	 * @param cpuTimeNanos its CPU time so far
	 * @param residentBytes its resident memory
	 * @param cpuUsage its CPU use since the previous read, or -1 when this is the first
	 */
	private record ProcessTrack(long at, long cpuTimeNanos, long residentBytes, double cpuUsage) {

	}

	/** The samples of one worker: its whole channel, and each place of its pool. */
	private static final class Histories {

		private final Place pool = new Place();

		private final Map<Integer, Place> places = new ConcurrentHashMap<>();

	}

	/** The channel samples of a worker or one place within the window, and its processes' pids. */
	private static final class Place {

		private final ArrayDeque<Sample> samples = new ArrayDeque<>();

		/** The pids of the latest sample, -1 where no process ran. */
		private long[] pids = {};

		synchronized void add(long now, ChannelStatistics statistics, long... pids) {
			this.pids = pids;
			this.samples.addLast(new Sample(now, statistics.messagesToWorker(), statistics.bytesToWorker(),
					statistics.messagesFromWorker(), statistics.bytesFromWorker(), statistics.callsCompleted()));
			// Keep one sample at or beyond the window's start, so that rates span the whole window.
			while (this.samples.size() > 2) {
				Sample second = nthOldest(1);
				if (now - second.at() < WINDOW.toNanos()) {
					break;
				}
				this.samples.removeFirst();
			}
		}

		private Sample nthOldest(int n) {
			int index = 0;
			for (Sample sample : this.samples) {
				if (index++ == n) {
					return sample;
				}
			}
			throw new IllegalStateException("fewer than " + (n + 1) + " samples");
		}

		synchronized Activity activity(Map<Long, ProcessTrack> processes) {
			// Each figure summed over the processes that have it: -1 when none has.
			double cpuUsage = -1;
			long cpuTimeNanos = -1;
			long residentBytes = -1;
			for (long pid : this.pids) {
				ProcessTrack track = (pid > 0) ? processes.get(pid) : null;
				if (track == null) {
					continue;
				}
				if (track.cpuUsage() >= 0) {
					cpuUsage = Math.max(0, cpuUsage) + track.cpuUsage();
				}
				cpuTimeNanos = Math.max(0, cpuTimeNanos) + track.cpuTimeNanos();
				residentBytes = Math.max(0, residentBytes) + track.residentBytes();
			}
			if (this.samples.size() < 2) {
				return new Activity(0, 0, 0, 0, 0, cpuUsage, cpuTimeNanos, residentBytes);
			}
			Sample first = this.samples.getFirst();
			Sample last = this.samples.getLast();
			double seconds = (last.at() - first.at()) / 1e9;
			return new Activity(rate(first.messagesToWorker(), last.messagesToWorker(), seconds),
					rate(first.bytesToWorker(), last.bytesToWorker(), seconds),
					rate(first.messagesFromWorker(), last.messagesFromWorker(), seconds),
					rate(first.bytesFromWorker(), last.bytesFromWorker(), seconds),
					rate(first.callsCompleted(), last.callsCompleted(), seconds), cpuUsage, cpuTimeNanos,
					residentBytes);
		}

		private static double rate(long from, long to, double seconds) {
			return (seconds > 0) ? Math.max(0, to - from) / seconds : 0;
		}

	}

}
