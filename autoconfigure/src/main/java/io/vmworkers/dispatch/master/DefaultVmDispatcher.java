package io.vmworkers.dispatch.master;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.vmworkers.channel.ChannelDirectoryException;
import io.vmworkers.channel.ChannelFiles;
import io.vmworkers.channel.WorkerChannel;
import io.vmworkers.codec.KryoCodec;
import io.vmworkers.dispatch.ReplicaHandle;
import io.vmworkers.dispatch.Transport;
import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerObserver;
import io.vmworkers.dispatch.WorkerState;
import io.vmworkers.protocol.Frames;
import io.vmworkers.protocol.Tracing;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * The master's {@link VmDispatcher}: launches every worker in parallel as soon as it is created
 * (while the rest of the context is still being created), waits in the context's start until all
 * are ready (failing the start-up otherwise), and stops them all when it closes. Data the workers
 * send before that start is held and then handed to the {@code @OnData} methods in order.
 */
public final class DefaultVmDispatcher implements VmDispatcher, SmartLifecycle, InitializingBean, DisposableBean {

	/** Before the web server starts, after it stops. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Log logger = LogFactory.getLog(DefaultVmDispatcher.class);

	/** The longest the watch sleeps: it also looks for deleted channel files. */
	private static final Duration MAX_WATCH_INTERVAL = Duration.ofSeconds(1);

	/** Past a deadline, so that a heartbeat arriving just in time is seen. */
	private static final Duration WATCH_MARGIN = Duration.ofMillis(5);

	private final Map<String, WorkerPool> workers = new LinkedHashMap<>();

	private final LaunchPlan plan;

	/** Starts the workers' processes; null when the workers run in this JVM. */
	private final WorkerLauncher launcher;

	/** Restarts after back-off, and the watch for hung workers. */
	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "vmworkers-supervisor");
		thread.setDaemon(true);
		return thread;
	});

	private volatile ScheduledFuture<?> watch;

	private volatile boolean running;

	/** Whether the watch reschedules itself; changed under this with {@link #watch}. */
	private volatile boolean watching;

	/**
	 * Creates the dispatcher.
	 * @param plan the workers, their settings and how they are launched
	 * @param codec the codec for all channels
	 */
	public DefaultVmDispatcher(LaunchPlan plan, KryoCodec codec) {
		this(plan, codec, null);
	}

	/**
	 * Creates a dispatcher whose workers are started by the given starter.
	 * @param plan the workers, their settings and how they are launched
	 * @param codec the codec for all channels
	 * @param starter starts a worker, or null to launch each as a child JVM
	 */
	public DefaultVmDispatcher(LaunchPlan plan, KryoCodec codec, WorkerStarter starter) {
		Assert.notNull(plan, "'plan' must not be null");
		Assert.notNull(codec, "'codec' must not be null");
		this.plan = plan;
		this.launcher = (starter != null) ? null : new WorkerLauncher(plan, DefaultVmDispatcher::log);
		WorkerStarter workerStarter = (starter != null) ? starter : this.launcher;
		plan.workers().forEach((name, worker) -> this.workers.put(name, new WorkerPool(name, worker.taskClass(),
				worker.settings(), worker.pool(), workerStarter, codec, this.scheduler)));
		// Until start(): workers launch early, before every @OnData method of the master is known.
		this.workers.values().forEach((worker) -> worker.channelEnd().hold());
	}

	/**
	 * Returns the plan this dispatcher launches its workers from.
	 * @return the plan
	 */
	public LaunchPlan plan() {
		return this.plan;
	}

	/**
	 * Sets what each worker process gets in its environment besides the master's own, asked for
	 * at each launch: values that must not appear on a command line.
	 * @param environment returns the variables, read when a worker is launched
	 */
	public void workerEnvironment(Supplier<Map<String, String>> environment) {
		if (this.launcher != null) {
			this.launcher.environment(environment);
		}
	}

	/**
	 * Takes over the processes launched before this dispatcher existed; call it before the
	 * dispatcher is initialized. Launches made from this dispatcher's own plan are adopted as they
	 * are; launches made from another plan (a dispatcher the application defines from other
	 * settings) are discarded. The early launches are empty afterwards.
	 * @param early the early launches
	 */
	public void adopt(EarlyLaunches early) {
		if (early.plan() != this.plan) {
			logger.debug("Discarding the early launches: this dispatcher was created from another launch plan");
			early.close();
			return;
		}
		for (WorkerPool worker : this.workers.values()) {
			List<Launch> launches = early.take(worker.name());
			if (!launches.isEmpty()) {
				worker.adopt(launches);
			}
		}
		early.close();
	}

	/**
	 * Launches the workers as soon as the dispatcher exists, while the rest of the application
	 * context is still being created: their JVMs start in parallel with it, and {@link #start()}
	 * then only waits for them. Anything that goes wrong here is left for {@link #start()} to do
	 * again and report.
	 */
	/**
	 * Sets the placements workers placed elsewhere start on; call it before the dispatcher is
	 * initialized.
	 * @param placements the placements the application has
	 */
	public void placements(Collection<? extends WorkerPlacement> placements) {
		if (this.launcher != null) {
			Map<String, WorkerPlacement> byName = new LinkedHashMap<>();
			placements.forEach((placement) -> byName.put(placement.name(), placement));
			this.launcher.placements(byName);
		}
	}

	@Override
	public void afterPropertiesSet() {
		if (this.launcher != null) {
			// A placement no module gives fails the start-up, naming it.
			this.plan.workers()
				.values()
				.stream()
				.filter((worker) -> !worker.settings().local())
				.forEach((worker) -> this.launcher.placement(worker.settings()));
		}
		if (this.launcher == null) {
			// Workers in this JVM start with the context, once the beans they may need exist.
			return;
		}
		try {
			prepareDirectories();
			this.workers.values().forEach(WorkerPool::launch);
		}
		catch (RuntimeException ex) {
			logger.debug("Workers not launched early; the context's start will launch them", ex);
		}
	}

	static void log(String workerName, boolean error, String line) {
		Log log = LogFactory.getLog("io.vmworkers.worker." + workerName);
		if (error) {
			log.warn("[" + workerName + "] " + line);
		}
		else {
			log.info("[" + workerName + "] " + line);
		}
	}

	@Override
	public InetSocketAddress tcpAddress() {
		return this.plan.tcp().address();
	}

	@Override
	public Collection<? extends WorkerHandle> workers() {
		return List.copyOf(this.workers.values());
	}

	@Override
	public WorkerHandle worker(String name) {
		return pool(name);
	}

	/**
	 * Registers an observer of every worker's calls and lifecycle.
	 * @param observer the observer
	 */
	public void addObserver(WorkerObserver observer) {
		this.workers.values().forEach((worker) -> worker.addObserver(observer));
	}

	/**
	 * Has calls and data carry the trace they are made in to the workers; call it before the
	 * dispatcher is used.
	 * @param tracing the tracing, {@link Tracing#OFF} by default
	 */
	public void tracing(Tracing tracing) {
		Assert.notNull(tracing, "'tracing' must not be null");
		this.workers.values().forEach((worker) -> worker.tracing(tracing));
	}

	WorkerPool pool(String name) {
		WorkerPool worker = this.workers.get(name);
		if (worker == null) {
			throw new IllegalArgumentException("no worker named '" + name + "'; workers: " + this.workers.keySet());
		}
		return worker;
	}

	/**
	 * Returns the master's channel end for the task class a {@code WorkerChannel} is injected into.
	 * @param injectedInto the class declaring the injection point
	 * @return the channel
	 * @throws IllegalStateException when the class is not a {@code @WorkerTask}
	 */
	public WorkerChannel channelFor(Class<?> injectedInto) {
		Class<?> userClass = ClassUtils.getUserClass(injectedInto);
		for (WorkerPool worker : this.workers.values()) {
			if (worker.methods().taskClass() == userClass) {
				return worker.channel();
			}
		}
		throw new IllegalStateException("a WorkerChannel can only be injected into a @WorkerTask, not into "
				+ userClass.getName() + "; use VmDispatcher.worker(name).channel() elsewhere");
	}

	@Override
	public void start() {
		prepareDirectories();
		this.workers.values().forEach(WorkerPool::launch);
		// Every @OnData method of a non-lazy master bean is known by now.
		this.workers.values().forEach((worker) -> worker.channelEnd().release());
		RuntimeException failure = null;
		for (WorkerPool worker : this.workers.values()) {
			try {
				Instant needed = Instant.now();
				worker.awaitReady();
				logger.info("Worker '" + worker.name() + "' ready (" + worker.describePids() + ")"
						+ startupTimes(worker.replicas(), needed));
			}
			catch (RuntimeException ex) {
				if (failure == null) {
					failure = ex;
				}
				else {
					failure.addSuppressed(ex);
				}
			}
		}
		this.running = true;
		synchronized (this) {
			this.watching = true;
		}
		scheduleWatch(Frames.HEARTBEAT_INTERVAL);
		if (failure != null) {
			stop();
			throw failure;
		}
	}

	/**
	 * Describes how long a worker took to start and whether the context's start had to wait for it:
	 * a worker launched early is often ready before the master gets to its lifecycle.
	 */
	private static String startupTimes(List<? extends ReplicaHandle> places, Instant needed) {
		Instant launched = places.stream().map(ReplicaHandle::startedAt).filter(Objects::nonNull).min(Comparator.naturalOrder()).orElse(null);
		Instant ready = places.stream().map((place) -> ((Replica) place).readyAt()).filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(null);
		if (launched == null || ready == null) {
			return "";
		}
		String startup = " " + Duration.between(launched, ready).toMillis() + " ms after its launch";
		return ready.isBefore(needed)
				? startup + ", " + Duration.between(ready, needed).toMillis() + " ms before the context's start needed it"
				: startup + "; the context's start waited " + Duration.between(needed, ready).toMillis() + " ms for it";
	}

	/**
	 * Removes files of dead masters and checks each channel directory can hold its channels, so
	 * that a bad directory fails the start-up with one clear message.
	 */
	private void prepareDirectories() {
		if (this.launcher != null) {
			prepareChannelDirectories(this.plan);
		}
	}

	/**
	 * Checks that each channel directory can hold the workers' rings, removes the channel files of
	 * dead masters there, and creates this master's run directory.
	 * @param plan the workers about to launch
	 */
	static void prepareChannelDirectories(LaunchPlan plan) {
		Map<Path, Long> required = new LinkedHashMap<>();
		plan.workers()
			.values()
			.stream()
			.filter((worker) -> worker.settings().transport() == Transport.SHM)
			.forEach((worker) -> required.merge(worker.settings().directory(), worker.ringBytes(), Long::sum));
		required.forEach((directory, bytes) -> {
			ChannelDirectoryException.check(directory, bytes);
			try {
				for (Path stale : ChannelFiles.removeStale(directory)) {
					logger.warn("Removed channel file of a dead master: " + stale);
				}
			}
			catch (IOException | RuntimeException ex) {
				// Left-overs of dead masters cost space only: never a reason to fail the start.
				logger.warn("Could not look for stale channel files in " + directory + ": " + ex);
			}
			ChannelFiles.createRunDirectory(ChannelFiles.runDirectory(directory, ProcessHandle.current()));
		});
	}

	/**
	 * Watches every worker, then sleeps until the earliest heartbeat deadline among them (and at
	 * most {@link #MAX_WATCH_INTERVAL}): a hung worker is found the moment its silence exceeds its
	 * timeout, and while heartbeats keep coming the watch wakes about once per timeout instead of
	 * once per heartbeat.
	 */
	private void watchWorkers() {
		if (!this.watching) {
			return;
		}
		Duration next = MAX_WATCH_INTERVAL;
		for (WorkerPool worker : this.workers.values()) {
			try {
				worker.watch();
				Duration deadline = worker.untilHeartbeatDeadline();
				if (deadline.compareTo(next) < 0) {
					next = deadline;
				}
			}
			catch (RuntimeException ex) {
				logger.error("Failed to watch worker '" + worker.name() + "'", ex);
			}
		}
		scheduleWatch(next.plus(WATCH_MARGIN));
	}

	private synchronized void scheduleWatch(Duration delay) {
		if (this.watching && !this.scheduler.isShutdown()) {
			this.watch = this.scheduler.schedule(this::watchWorkers, delay.toNanos(), TimeUnit.NANOSECONDS);
		}
	}

	@Override
	public void stop() {
		ScheduledFuture<?> current;
		synchronized (this) {
			// Under the lock scheduleWatch takes: no watch is scheduled after this one is cancelled.
			this.watching = false;
			current = this.watch;
		}
		if (current != null) {
			current.cancel(false);
		}
		ParallelStop.all(this.workers.values(), (worker) -> "vmworkers-stop-" + worker.name(), WorkerPool::close);
		this.workers.values()
			.stream()
			.map((worker) -> ChannelFiles.runDirectory(worker.settings().directory(), ProcessHandle.current()))
			.distinct()
			.forEach(ChannelFiles::deleteIfEmpty);
		this.running = false;
	}

	/**
	 * Stops workers that are still running, which a context that failed before it started leaves
	 * (launched early, or by an early call), then the supervisor and the listener for workers on TCP.
	 */
	@Override
	public void destroy() {
		if (this.workers.values().stream().anyMatch((worker) -> worker.state() != WorkerState.STOPPED
				&& worker.state() != WorkerState.NEW)) {
			stop();
		}
		this.scheduler.shutdownNow();
		this.plan.tcp().close();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public String toString() {
		return "VmDispatcher" + this.workers.values();
	}

}
