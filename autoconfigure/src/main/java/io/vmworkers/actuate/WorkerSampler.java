package io.vmworkers.actuate;

import java.time.Duration;
import java.util.ArrayDeque;
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
import io.vmworkers.dispatch.DefaultVmDispatcher;
import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * Samples every worker once per {@link #INTERVAL} on one daemon thread: the channel counts the
 * channel already keeps, and the worker process's CPU time and resident memory from
 * {@code /proc}. From the samples of the last {@link #WINDOW} it derives rates. Nothing is added
 * to the channel's path: a sample reads counters that the rings update anyway.
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

	private final Map<String, History> histories = new ConcurrentHashMap<>();

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
		Set<String> names = new HashSet<>();
		for (WorkerHandle worker : this.dispatcher.workers()) {
			names.add(worker.name());
			long pid = worker.pid();
			ChannelStatistics statistics = worker.statistics();
			ProcessUsage usage = (pid > 0) ? this.processUsage.apply(pid) : null;
			this.histories.computeIfAbsent(worker.name(), (name) -> new History())
				.add(this.nanoTime.getAsLong(), statistics, pid, usage, this.processors);
		}
		this.histories.keySet().retainAll(names);
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
	 * Returns what the samples of the last {@link #WINDOW} say about a worker.
	 * @param worker the worker's name
	 * @return its activity; rates are 0 until two samples exist
	 */
	public Activity activity(String worker) {
		History history = this.histories.get(worker);
		return (history != null) ? history.activity() : Activity.NONE;
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
	 * What the recent samples say about one worker.
	 * @param messagesToWorkerPerSecond messages per second from the master to the worker
	 * @param bytesToWorkerPerSecond payload bytes per second from the master to the worker
	 * @param messagesFromWorkerPerSecond messages per second from the worker to the master
	 * @param bytesFromWorkerPerSecond payload bytes per second from the worker to the master
	 * @param callsPerSecond calls completed per second
	 * @param cpuUsage the process's CPU use over the last interval, as a fraction of all the
	 * machine's CPUs (as Micrometer's {@code process.cpu.usage}), or -1 when unknown
	 * @param cpuTimeNanos the process's CPU time so far, or -1 when unknown
	 * @param residentBytes the process's resident memory, or -1 when unknown
	 */
	public record Activity(double messagesToWorkerPerSecond, double bytesToWorkerPerSecond,
			double messagesFromWorkerPerSecond, double bytesFromWorkerPerSecond, double callsPerSecond,
			double cpuUsage, long cpuTimeNanos, long residentBytes) {

		static final Activity NONE = new Activity(0, 0, 0, 0, 0, -1, -1, -1);

	}

	private record Sample(long at, long messagesToWorker, long bytesToWorker, long messagesFromWorker,
			long bytesFromWorker, long callsCompleted) {

	}

	/** The samples of one worker within the window, and its latest process usage. */
	private static final class History {

		private final ArrayDeque<Sample> samples = new ArrayDeque<>();

		private long pid = -1;

		private long cpuTimeNanos = -1;

		private long residentBytes = -1;

		private double cpuUsage = -1;

		private long usageAt;

		synchronized void add(long now, ChannelStatistics statistics, long pid, ProcessUsage usage, int processors) {
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
			if (usage == null) {
				this.pid = pid;
				this.cpuTimeNanos = -1;
				this.residentBytes = -1;
				this.cpuUsage = -1;
				return;
			}
			if (pid == this.pid && this.cpuTimeNanos >= 0 && now > this.usageAt) {
				double used = usage.cpuTimeNanos() - this.cpuTimeNanos;
				this.cpuUsage = Math.max(0, used / (now - this.usageAt) / processors);
			}
			else {
				this.cpuUsage = -1;
			}
			this.pid = pid;
			this.cpuTimeNanos = usage.cpuTimeNanos();
			this.residentBytes = usage.residentBytes();
			this.usageAt = now;
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

		synchronized Activity activity() {
			if (this.samples.size() < 2) {
				return new Activity(0, 0, 0, 0, 0, this.cpuUsage, this.cpuTimeNanos, this.residentBytes);
			}
			Sample first = this.samples.getFirst();
			Sample last = this.samples.getLast();
			double seconds = (last.at() - first.at()) / 1e9;
			return new Activity(rate(first.messagesToWorker(), last.messagesToWorker(), seconds),
					rate(first.bytesToWorker(), last.bytesToWorker(), seconds),
					rate(first.messagesFromWorker(), last.messagesFromWorker(), seconds),
					rate(first.bytesFromWorker(), last.bytesFromWorker(), seconds),
					rate(first.callsCompleted(), last.callsCompleted(), seconds), this.cpuUsage, this.cpuTimeNanos,
					this.residentBytes);
		}

		private static double rate(long from, long to, double seconds) {
			return (seconds > 0) ? Math.max(0, to - from) / seconds : 0;
		}

	}

}
