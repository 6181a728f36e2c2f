package io.vmworkers.dispatch.master;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import io.vmworkers.channel.ChannelClosedException;
import io.vmworkers.channel.WorkerChannel;
import io.vmworkers.dispatch.ChannelStatistics;
import io.vmworkers.dispatch.ExitInfo;
import io.vmworkers.dispatch.Heartbeat;
import io.vmworkers.dispatch.RecycleInfo;
import io.vmworkers.dispatch.ReplicaHandle;
import io.vmworkers.dispatch.ReplicaRole;
import io.vmworkers.dispatch.WorkerDiedException;
import io.vmworkers.dispatch.WorkerSettings;
import io.vmworkers.dispatch.WorkerStartupException;
import io.vmworkers.dispatch.WorkerState;
import io.vmworkers.process.WorkerProcess;
import io.vmworkers.protocol.Link;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One place of a worker's pool and the life of the processes in it: launch, readiness, the watch
 * for hung processes, restart with back-off after an unexpected exit (or a spare taking over),
 * recycling (drain-then-replace) and stop. Its state changes happen under the pool's lock, which
 * calls never take: a call reads {@link #serving()} and goes.
 */
final class Replica implements ReplicaHandle {

	private static final Log logger = LogFactory.getLog(Replica.class);

	/** How long a debugged process's port may take to be read from its output. */
	private static final Duration DEBUG_PORT_WAIT = Duration.ofSeconds(1);

	/**
	 * The lifecycle of a place, as the states each state may change to. NEW: no process (never
	 * started, stopped and opened again, or a spare that gave its process away); STARTING: a
	 * process launched, not yet ready; READY: serving (a spare taking over keeps it READY);
	 * RESTARTING: waiting out a back-off; STOPPING and STOPPED: on request; FAILED: not restarted.
	 */
	private static final Map<WorkerState, Set<WorkerState>> LIFECYCLE = new EnumMap<>(Map.of(
			WorkerState.NEW, EnumSet.of(WorkerState.STARTING, WorkerState.STOPPED),
			WorkerState.STARTING, EnumSet.of(WorkerState.READY, WorkerState.RESTARTING, WorkerState.FAILED,
					WorkerState.STOPPING),
			WorkerState.READY, EnumSet.of(WorkerState.NEW, WorkerState.RESTARTING, WorkerState.FAILED,
					WorkerState.STOPPING),
			WorkerState.RESTARTING, EnumSet.of(WorkerState.NEW, WorkerState.STOPPING),
			WorkerState.STOPPING, EnumSet.of(WorkerState.STOPPED, WorkerState.FAILED),
			WorkerState.STOPPED, EnumSet.of(WorkerState.NEW),
			WorkerState.FAILED, EnumSet.of(WorkerState.STARTING, WorkerState.STOPPING, WorkerState.STOPPED)));

	private final WorkerPool pool;

	private final int index;

	private final ReplicaRole role;

	private final ReplicaChannel channel;

	private final AtomicInteger startCount = new AtomicInteger();

	private final AtomicLong callsCompleted = new AtomicLong();

	private final AtomicLong callsFailed = new AtomicLong();

	private final RestartBudget restarts;

	/** Processes of this place other than the current one: a replacement starting, a recycled one draining. */
	private final Set<ProcessConnection> others = ConcurrentHashMap.newKeySet();

	/** Held while this place's process is replaced, so that replacements happen one at a time. */
	private final ReentrantLock replacing = new ReentrantLock();

	private final Recycler recycler;

	private final ProcessEnding ending;

	private volatile WorkerState state = WorkerState.NEW;

	private volatile ProcessConnection connection;

	private volatile ExitInfo lastExit;

	private volatile RecycleInfo lastRecycle;

	/** Why the last launch could not start a process, while the place is failed for it. */
	private volatile RuntimeException launchFailure;

	/** Whether any process of this place has been ready: start-up failures before that are not restarted. */
	private volatile boolean everReady;

	/** A process launched before the dispatcher existed, until {@link #launch()} connects to it. */
	private Launch early;

	/**
	 * Counts launches and stops of this place, under the pool's lock: a launch installs its process
	 * only if nothing launched or stopped the place since it began.
	 */
	private long generation;

	/** Traffic of the processes that left this place, and where the current one's counting began. */
	private Traffic before = Traffic.NONE;

	private Traffic joinedAt = Traffic.NONE;

	/** When the current process became this place's (System.nanoTime()). */
	private volatile long joinedNanos;

	Replica(WorkerPool pool, int index, ReplicaRole role) {
		this.pool = pool;
		this.index = index;
		this.role = role;
		this.channel = new ReplicaChannel(pool, this);
		this.restarts = new RestartBudget(pool.settings().restart());
		this.recycler = new Recycler(pool, this);
		this.ending = new ProcessEnding(pool);
	}

	@Override
	public int index() {
		return this.index;
	}

	@Override
	public ReplicaRole role() {
		return this.role;
	}

	@Override
	public long pid() {
		ProcessConnection current = this.connection;
		return (current != null) ? current.pid() : -1;
	}

	@Override
	public String location() {
		ProcessConnection current = this.connection;
		WorkerProcess process = (current != null) ? current.process() : null;
		return (process != null) ? process.location() : null;
	}

	@Override
	public int debugPort() {
		ProcessConnection current = this.connection;
		WorkerProcess process = (current != null) ? current.process() : null;
		if (process == null || !this.pool.settings().debug().enabled()) {
			return -1;
		}
		// Its output line may be read just after its READY: wait that long, not more.
		return process.awaitDebugPort(DEBUG_PORT_WAIT);
	}

	@Override
	public WorkerState state() {
		return this.state;
	}

	@Override
	public Instant startedAt() {
		ProcessConnection current = this.connection;
		return (current != null) ? current.startedAt() : null;
	}

	@Override
	public int startCount() {
		return this.startCount.get();
	}

	@Override
	public ExitInfo lastExit() {
		return this.lastExit;
	}

	@Override
	public RecycleInfo lastRecycle() {
		return this.lastRecycle;
	}

	@Override
	public Heartbeat lastHeartbeat() {
		ProcessConnection current = this.connection;
		return (current != null) ? current.heartbeat() : null;
	}

	/**
	 * Returns when the current process said it is ready.
	 * @return the instant, or null before it is
	 */
	Instant readyAt() {
		ProcessConnection current = this.connection;
		return (current != null) ? current.readyAt() : null;
	}

	Instant lastHeartbeatAt() {
		ProcessConnection current = this.connection;
		return (current != null) ? current.heartbeatAt() : null;
	}

	@Override
	public Duration heartbeatAge() {
		ProcessConnection current = this.connection;
		long beat = (current != null) ? current.heartbeatNanos() : 0;
		return (beat != 0) ? Duration.ofNanos(System.nanoTime() - beat) : null;
	}

	@Override
	public int callsInFlight() {
		int calls = 0;
		ProcessConnection current = this.connection;
		if (current != null) {
			calls += current.inFlight();
		}
		for (ProcessConnection other : this.others) {
			calls += other.inFlight();
		}
		return calls;
	}

	@Override
	public WorkerChannel channel() {
		return this.channel;
	}

	@Override
	public ChannelStatistics statistics() {
		ProcessConnection current;
		Traffic traffic;
		synchronized (this.pool) {
			current = this.connection;
			traffic = this.before.plus(Traffic.of(current).minus(this.joinedAt));
		}
		int capacity = this.pool.settings().capacity();
		long toWorker = 0;
		long fromWorker = 0;
		Link link = (current != null) ? current.link() : null;
		if (link != null && link.isOpen()) {
			toWorker = link.outbound().bytesWaiting();
			fromWorker = link.inbound().bytesWaiting();
		}
		return new ChannelStatistics(traffic.messagesOut(), traffic.bytesOut(), traffic.messagesIn(),
				traffic.bytesIn(), this.callsCompleted.get(), this.callsFailed.get(), traffic.wakeUpsOut(), toWorker,
				fromWorker, capacity);
	}

	/**
	 * Returns the process serving calls in this place now, without waiting.
	 * @return the connection, or null when none serves
	 */
	ProcessConnection serving() {
		ProcessConnection current = this.connection;
		return (this.state == WorkerState.READY && current != null && current.serves()) ? current : null;
	}

	void callCompleted(boolean failed) {
		this.callsCompleted.incrementAndGet();
		if (failed) {
			this.callsFailed.incrementAndGet();
		}
	}

	void callFailed() {
		this.callsFailed.incrementAndGet();
	}

	/**
	 * Takes over a process launched for this place before the dispatcher existed; the next
	 * {@link #launch()} connects to it instead of starting another.
	 * @param launch the early launch, made with this worker's settings
	 */
	void adopt(Launch launch) {
		synchronized (this.pool) {
			if (this.state != WorkerState.NEW || this.early != null) {
				throw new IllegalStateException(
						"worker '" + this.pool.name() + "' cannot adopt a launch in state " + this.state);
			}
			this.early = launch;
		}
	}

	/**
	 * Starts a process in this place unless one is running or starting; returns once it is launched.
	 */
	void launch() {
		Launch launch;
		long launching;
		synchronized (this.pool) {
			// Only a place without a process starts one: a running, restarting or stopping place does not.
			if ((this.state != WorkerState.NEW && this.state != WorkerState.FAILED) || this.pool.isClosed()) {
				return;
			}
			moveTo(WorkerState.STARTING);
			this.launchFailure = null;
			leave();
			this.pool.notifyAll();
			launch = this.early;
			this.early = null;
			launching = ++this.generation;
		}
		ProcessConnection started;
		try {
			started = (launch != null) ? connect(launch) : startProcess();
		}
		catch (WorkerStartupException ex) {
			synchronized (this.pool) {
				if (this.generation == launching && this.state == WorkerState.STARTING) {
					this.launchFailure = ex;
					moveTo(WorkerState.FAILED);
					this.pool.notifyAll();
				}
			}
			return;
		}
		boolean installed;
		synchronized (this.pool) {
			installed = this.generation == launching && this.state == WorkerState.STARTING && !this.pool.isClosed();
			if (installed) {
				join(started);
			}
		}
		// Watched and read once installed: an exit or a ready message, even one that came before
		// (a process launched early), then finds the process in its place.
		watchExit(started);
		started.startReading();
		if (!installed) {
			// Stopped, or launched again, while it launched.
			stopProcess(started);
		}
	}

	/** Has a process's exit handled by the place that owns it then. */
	private static void watchExit(ProcessConnection process) {
		process.launched().process().onExit().thenRun(() -> process.owner().onExit(process));
	}

	/**
	 * Starts a new process for this place, watched for its exit, connected but not read yet, and not
	 * installed.
	 */
	private ProcessConnection startProcess() {
		WorkerSettings settings = this.pool.settings();
		try {
			return connect(this.pool.starter().start(this.pool.name(), this.index, settings));
		}
		catch (IOException | RuntimeException ex) {
			throw new WorkerStartupException(this.pool.name(), "worker '" + this.pool.name()
					+ "' could not be started: " + ex.getMessage() + " (channel directory " + settings.directory()
					+ "; vmworkers.channel.directory)", ex);
		}
	}

	private ProcessConnection connect(Launch launch) {
		ProcessConnection started = new ProcessConnection(this.pool, this, launch.token());
		started.connect(launch);
		this.startCount.incrementAndGet();
		return started;
	}

	/** Makes a process this place's current one; under the pool's lock. */
	private void join(ProcessConnection joining) {
		leave();
		joining.moveTo(this);
		this.connection = joining;
		this.joinedAt = Traffic.of(joining);
		this.joinedNanos = System.nanoTime();
	}

	/**
	 * Returns when the current process became this place's.
	 * @return a System.nanoTime() value
	 */
	long joinedNanos() {
		return this.joinedNanos;
	}

	/** Lets the current process go, keeping its traffic in this place's totals; under the pool's lock. */
	private void leave() {
		ProcessConnection leaving = this.connection;
		if (leaving != null) {
			this.before = this.before.plus(Traffic.of(leaving).minus(this.joinedAt));
		}
		this.joinedAt = Traffic.NONE;
		this.connection = null;
	}

	/** Takes this place's ready process away, for a replica place that lost its own; under the pool's lock. */
	ProcessConnection giveUpSpare() {
		ProcessConnection current = serving();
		if (current == null || this.role != ReplicaRole.SPARE) {
			return null;
		}
		leave();
		moveTo(WorkerState.NEW);
		return current;
	}

	/**
	 * Takes a process's ready message; called after the process has recorded when it came.
	 * @param ready the process
	 */
	void onReady(ProcessConnection ready) {
		synchronized (this.pool) {
			if (this.connection == ready && this.state == WorkerState.STARTING) {
				becameReady();
			}
		}
		this.pool.processReady();
	}

	/** The current process is ready; under the pool's lock. */
	private void becameReady() {
		moveTo(WorkerState.READY);
		this.everReady = true;
		this.pool.notifyAll();
	}

	/**
	 * Waits until this place serves calls, launching it first if nobody has.
	 * @return the serving process
	 * @throws WorkerStartupException when it does not become ready in time
	 * @throws WorkerDiedException when its process died and it is not restarted
	 * @throws ChannelClosedException when the worker has been stopped
	 */
	ProcessConnection awaitServing() {
		long deadline = System.nanoTime() + this.pool.settings().startupTimeout().toNanos()
				+ this.pool.settings().restart().maxBackoff().toNanos();
		while (true) {
			ProcessConnection current = serving();
			if (current != null) {
				return current;
			}
			if (this.pool.isClosed()) {
				throw stopped();
			}
			WorkerState now = this.state;
			switch (now) {
				case NEW -> launch();
				case STARTING -> awaitStart(this.connection, deadline);
				case STOPPING, STOPPED -> throw stopped();
				case FAILED -> throw failed();
				// READY with its process gone (the exit is being handled), or RESTARTING.
				default -> awaitChange(now, deadline);
			}
		}
	}

	private ChannelClosedException stopped() {
		String name = this.pool.name();
		return new ChannelClosedException("worker '" + name + "' is " + this.state.name().toLowerCase()
				+ "; start it again with VmDispatcher.worker(\"" + name + "\").restart()");
	}

	private RuntimeException failed() {
		RuntimeException launching = this.launchFailure;
		if (launching != null) {
			return launching;
		}
		ProcessConnection current = this.connection;
		WorkerProcess process = (current != null) ? current.process() : null;
		String name = this.pool.name();
		if (process == null) {
			return new WorkerStartupException(name, "worker '" + name + "' failed to start", null);
		}
		if (!this.everReady) {
			return new WorkerStartupException(name, "worker '" + name + "' stopped before it was ready"
					+ Describe.process(process), null);
		}
		return new WorkerDiedException(name, process.pid(), process.exitCode(), "worker '" + name + "' (pid "
				+ process.pid() + ") died with " + process.describeExit() + "; restart it with VmDispatcher.worker(\""
				+ name + "\").restart()");
	}

	/** Waits for the state to leave {@code from}, or for the deadline. */
	private void awaitChange(WorkerState from, long deadline) {
		synchronized (this.pool) {
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				throw new WorkerStartupException(this.pool.name(),
						"worker '" + this.pool.name() + "' is still " + from.name().toLowerCase(), null);
			}
			if (this.state != from || serving() != null) {
				return;
			}
			try {
				// Bounded: a process found gone while READY changes state without a signal here.
				TimeUnit.NANOSECONDS.timedWait(this.pool, Math.min(remaining, WorkerPool.STATE_WAIT_NANOS));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new WorkerStartupException(this.pool.name(),
						"interrupted while waiting for worker '" + this.pool.name() + "'", ex);
			}
		}
	}

	/**
	 * Waits until the process starting in this place is ready, failing the place when it does not
	 * become ready in time.
	 */
	private void awaitStart(ProcessConnection starting, long deadline) {
		String name = this.pool.name();
		if (starting == null || (starting.ready().isDone() && !starting.ready().isCompletedExceptionally())) {
			// Between STARTING and its process being installed, or ready and about to be READY.
			awaitChange(WorkerState.STARTING, deadline);
			return;
		}
		Duration timeout = this.pool.settings().startupTimeout();
		try {
			starting.ready().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			WorkerProcess process = starting.process();
			String message = "worker '" + name + "' was not ready within " + timeout + " (vmworkers.startup-timeout)"
					+ Describe.process(process);
			boolean owned;
			long stoppedAt;
			synchronized (this.pool) {
				// Stopping: a READY frame arriving meanwhile does not make it ready, nor its exit unexpected.
				owned = this.connection == starting && this.state == WorkerState.STARTING;
				if (owned) {
					moveTo(WorkerState.STOPPING);
					this.pool.notifyAll();
				}
				stoppedAt = this.generation;
			}
			stopProcess(starting);
			synchronized (this.pool) {
				// Unless it was stopped or launched again meanwhile.
				if (owned && this.generation == stoppedAt && this.state == WorkerState.STOPPING) {
					moveTo(WorkerState.FAILED);
					this.pool.notifyAll();
				}
			}
			throw new WorkerStartupException(name, message, null);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new WorkerStartupException(name, "worker '" + name + "' failed to start", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new WorkerStartupException(name, "interrupted while waiting for worker '" + name + "'", ex);
		}
	}

	/**
	 * Changes the state, under the pool's lock, along the lifecycle's edges only: a change off
	 * them is a bug of this class, reported as one instead of leaving a place in a state its
	 * callers do not expect.
	 */
	private void moveTo(WorkerState next) {
		if (next != this.state && !LIFECYCLE.get(this.state).contains(next)) {
			throw new IllegalStateException("worker '" + this.pool.name() + "' place " + this.index + " cannot go from "
					+ this.state + " to " + next);
		}
		this.state = next;
	}

	private void setState(WorkerState next) {
		synchronized (this.pool) {
			moveTo(next);
			this.pool.notifyAll();
		}
	}

	void onExit(ProcessConnection exited) {
		exited.markExited();
		boolean expected;
		Duration restartIn = null;
		ProcessConnection spare = null;
		synchronized (this.pool) {
			expected = exited.stopRequested() || this.state == WorkerState.STOPPING
					|| this.state == WorkerState.STOPPED || this.connection != exited || this.pool.isClosed();
			if (!expected) {
				spare = (this.role == ReplicaRole.REPLICA) ? this.pool.takeSpare() : null;
				if (spare != null) {
					join(spare);
					moveTo(WorkerState.READY);
				}
				else {
					restartIn = this.restarts.next(this.everReady);
					moveTo((restartIn != null) ? WorkerState.RESTARTING : WorkerState.FAILED);
				}
				this.pool.notifyAll();
			}
		}
		WorkerProcess process = exited.process();
		if (!expected) {
			String next = (spare != null) ? "; spare pid " + spare.pid() + " took its place"
					: (restartIn != null) ? "; restarting in " + restartIn.toMillis() + " ms"
							: "; not restarting (" + this.restarts.refusal(this.everReady) + ")";
			logger.error(Describe.capitalized(describePlace()) + " (pid " + process.pid() + ") exited unexpectedly with "
					+ process.describeExit() + next);
		}
		this.ending.finish(exited);
		if (spare != null) {
			this.pool.replenishSpares();
		}
		if (restartIn != null) {
			this.pool.scheduler().schedule(this::relaunch, restartIn.toNanos(), TimeUnit.NANOSECONDS);
		}
		recordExit(exited, expected);
	}

	/**
	 * Records a call answered by a process of this place, for {@code recycle.max-calls}.
	 * @param answering the process
	 * @param calls how many calls it has answered
	 */
	void answered(ProcessConnection answering, long calls) {
		if (answering == this.connection && this.role == ReplicaRole.REPLICA) {
			this.recycler.answered(answering, calls);
		}
	}

	/**
	 * Names this place for the log: the worker, and in a pool of several processes the place.
	 * @return for example {@code worker 'echo'} or {@code worker 'echo' replica 2}
	 */
	String describePlace() {
		String worker = "worker '" + this.pool.name() + "'";
		return (this.pool.poolSettings().processes() == 1) ? worker
				: worker + " " + this.role.name().toLowerCase(Locale.ROOT) + " " + this.index;
	}

	private void relaunch() {
		ProcessConnection started;
		synchronized (this.pool) {
			if (this.state != WorkerState.RESTARTING) {
				return;
			}
			moveTo(WorkerState.NEW);
		}
		launch();
		started = this.connection;
		// Nobody may be waiting for it: make sure a restart that hangs is handled as a crash.
		Duration timeout = this.pool.settings().startupTimeout();
		this.pool.scheduler().schedule(() -> {
			if (started != null && this.connection == started && !started.ready().isDone()
					&& started.process() != null) {
				logger.error("Worker '" + this.pool.name() + "' was not ready within " + timeout
						+ " after a restart (vmworkers.startup-timeout); killing it");
				started.process().kill();
			}
		}, timeout.toNanos(), TimeUnit.NANOSECONDS);
	}

	/**
	 * Returns how long until {@link #watch()} could find this place's process silent for too long:
	 * its heartbeat deadline, or its heartbeat timeout when it is not ready.
	 * @return the time until the deadline, never negative
	 */
	Duration untilHeartbeatDeadline() {
		ProcessConnection current = this.connection;
		Duration timeout = this.pool.settings().heartbeatTimeout();
		if (this.state != WorkerState.READY || current == null || current.killed() || current.lastSignOfLife() == 0) {
			return timeout;
		}
		long left = current.lastSignOfLife() + timeout.toNanos() - System.nanoTime();
		return Duration.ofNanos(Math.max(0, left));
	}

	/**
	 * Kills a process that stopped sending heartbeats, that said it is closing but did not exit
	 * within the shutdown timeout, or whose channel file vanished; its exit is then handled as a
	 * crash. Has a replica recycled that is too old or holds too much heap. Ages are measured on
	 * the monotonic clock, so that a step of the wall clock neither kills a healthy worker nor
	 * hides a hung one.
	 */
	void watch() {
		ProcessConnection current = this.connection;
		if (this.state != WorkerState.READY || current == null || current.exited() || current.process() == null) {
			return;
		}
		WorkerSettings settings = this.pool.settings();
		long now = System.nanoTime();
		String reason = null;
		if (current.closingSince() != 0) {
			long closing = now - current.closingSince();
			if (closing > settings.shutdownTimeout().toNanos()) {
				reason = "said it is closing " + TimeUnit.NANOSECONDS.toMillis(closing)
						+ " ms ago and is still running (vmworkers.shutdown-timeout=" + settings.shutdownTimeout() + ")";
			}
		}
		else if (current.lastSignOfLife() != 0 && now - current.lastSignOfLife() > settings.heartbeatTimeout().toNanos()) {
			reason = "sent no heartbeat for " + TimeUnit.NANOSECONDS.toMillis(now - current.lastSignOfLife())
					+ " ms (vmworkers.heartbeat-timeout=" + settings.heartbeatTimeout() + ")";
		}
		else if (current.link().lostFile()) {
			reason = "lost a channel file (deleted from " + settings.directory() + ")";
		}
		if (reason != null && current.markKilled()) {
			logger.error(Describe.capitalized(describePlace()) + " (pid " + current.pid() + ") " + reason + "; killing it");
			current.process().kill();
			return;
		}
		if (this.role == ReplicaRole.REPLICA) {
			this.recycler.check(current, now);
		}
	}

	/**
	 * Replaces the process in this place without losing a call (see {@link ReplicaHandle#restart()});
	 * a place that does not serve is stopped and started again instead.
	 */
	@Override
	public void restart() {
		ProcessConnection current = serving();
		if (this.role == ReplicaRole.REPLICA && current != null) {
			if (!replace("a restart was requested", current)) {
				// Its process serves on: a replacement that does not start never costs a call.
				throw new WorkerStartupException(this.pool.name(), Describe.capitalized(describePlace())
						+ " was not restarted: no replacement became ready (see the log), or its process changed"
						+ " meanwhile; it keeps serving", null);
			}
			return;
		}
		close();
		reopen();
		awaitServing();
	}

	/** Makes a stopped place new again, for a worker started again after a stop. */
	void reopen() {
		synchronized (this.pool) {
			moveTo(WorkerState.NEW);
			this.restarts.reset();
			this.pool.notifyAll();
		}
	}

	/**
	 * Drain-then-replace: a spare or a new process takes this place once ready, the old one
	 * finishes its calls and stops in the background. Nothing changes when the replacement cannot
	 * start.
	 * @param reason why, for the log and {@link #lastRecycle()}
	 * @return whether the process was replaced
	 */
	boolean replace(String reason, ProcessConnection expected) {
		this.replacing.lock();
		try {
			ProcessConnection old = serving();
			if (old == null || old != expected) {
				// Gone, or already replaced since the reason was found.
				return false;
			}
			ProcessConnection next;
			synchronized (this.pool) {
				next = this.pool.takeSpare();
				if (next != null) {
					// Held as this place's from the moment it leaves its own: a close stops it too.
					this.others.add(next);
				}
			}
			if (next != null) {
				this.pool.replenishSpares();
			}
			else {
				next = startReplacement();
				if (next == null) {
					return false;
				}
			}
			boolean installed;
			synchronized (this.pool) {
				this.others.remove(next);
				installed = this.state == WorkerState.READY && this.connection == old && !this.pool.isClosed()
						&& !next.exited();
				if (installed) {
					old.retire();
					this.others.add(old);
					join(next);
					this.lastRecycle = new RecycleInfo(old.pid(), reason, Instant.now());
					this.pool.notifyAll();
				}
			}
			if (!installed) {
				stopProcess(next);
				return false;
			}
			logger.info("Replacing " + describePlace() + " (pid " + old.pid() + ", now pid " + next.pid() + "): "
					+ reason);
			retire(old);
			return true;
		}
		finally {
			this.replacing.unlock();
		}
	}

	/**
	 * Lets a replaced process finish its calls and stop on a thread of its own: whoever replaced it
	 * (a restart, a recycle) needs only its successor serving, and a rolling restart would otherwise
	 * add each old process's drain and stop to its time. It stays among this place's processes until
	 * it is gone, so a close in the meantime stops it too.
	 */
	private void retire(ProcessConnection old) {
		Thread retiring = new Thread(() -> {
			try {
				old.awaitDrained(this.pool.settings());
				stopProcess(old);
			}
			catch (RuntimeException ex) {
				logger.error("Failed to stop the replaced process of " + describePlace() + " (pid " + old.pid() + ")", ex);
			}
			finally {
				this.others.remove(old);
			}
		}, "vmworkers-retire-" + this.pool.name() + "-" + this.index);
		retiring.setDaemon(true);
		retiring.start();
	}

	/**
	 * Starts a process to replace this place's and waits until it is ready.
	 * @return the ready process, or null when it failed to start (logged)
	 */
	private ProcessConnection startReplacement() {
		ProcessConnection next;
		try {
			next = startProcess();
		}
		catch (WorkerStartupException ex) {
			logger.warn(ex.getMessage() + "; " + describePlace() + " keeps its process");
			return null;
		}
		boolean held;
		synchronized (this.pool) {
			held = !this.pool.isClosed() && this.state != WorkerState.STOPPING && this.state != WorkerState.STOPPED;
			if (held) {
				this.others.add(next);
			}
		}
		watchExit(next);
		next.startReading();
		if (!held) {
			stopProcess(next);
			return null;
		}
		Duration timeout = this.pool.settings().startupTimeout();
		try {
			next.ready().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
			return next;
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.warn("A replacement for " + describePlace() + " was not ready within " + timeout + " ("
					+ ((ex.getCause() != null) ? ex.getCause().getMessage() : "vmworkers.startup-timeout")
					+ "); it keeps its process");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		synchronized (this.pool) {
			this.others.remove(next);
		}
		stopProcess(next);
		return null;
	}

	/**
	 * Stops every process of this place: asks each to finish, waits the shutdown timeout, then
	 * terminates and finally kills it, and removes its channel files.
	 */
	void close() {
		ProcessConnection current;
		Launch unconnected;
		boolean stopped;
		List<ProcessConnection> stopping;
		synchronized (this.pool) {
			current = this.connection;
			// Only a NEW place holds an adopted launch: launch() takes it.
			unconnected = this.early;
			this.early = null;
			stopped = this.state == WorkerState.NEW || this.state == WorkerState.STOPPED;
			moveTo(stopped ? WorkerState.STOPPED : WorkerState.STOPPING);
			this.generation++;
			stopping = new ArrayList<>(this.others);
			this.pool.notifyAll();
		}
		if (unconnected != null) {
			// The dispatcher stopped before it launched: the process adopted for this place goes too.
			unconnected.discard();
		}
		if (!stopped && current != null) {
			stopping.add(current);
		}
		stopping.forEach(ProcessConnection::requestStop);
		stopping.forEach(this::stopProcess);
		setState(WorkerState.STOPPED);
	}

	/**
	 * Asks a process to stop and waits for it, within the shutdown timeout, then terminates it (see
	 * {@link ProcessEnding}); its exit counts as expected.
	 */
	private void stopProcess(ProcessConnection stopping) {
		stopping.requestStop();
		if (this.ending.stop(stopping, describePlace())) {
			recordExit(stopping, true);
		}
	}

	/** Keeps how a process ended and tells the observers, once per process. */
	private void recordExit(ProcessConnection exited, boolean expected) {
		if (!exited.markExitRecorded()) {
			return;
		}
		WorkerProcess process = exited.process();
		ExitInfo exit = new ExitInfo(process.pid(), process.exitCode(), process.describeExit(), Instant.now(), expected,
				process.outputTail());
		this.lastExit = exit;
		this.pool.processExited(exit);
	}

	@Override
	public String toString() {
		return "Replica[" + this.pool.name() + "#" + this.index + ", " + this.role.name().toLowerCase() + ", state="
				+ this.state + ", pid=" + pid() + "]";
	}

}
