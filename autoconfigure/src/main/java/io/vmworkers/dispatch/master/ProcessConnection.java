package io.vmworkers.dispatch.master;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.vmworkers.channel.RingDescriptor;
import io.vmworkers.codec.RemoteThrowable;
import io.vmworkers.dispatch.Heartbeat;
import io.vmworkers.dispatch.WorkerSettings;
import io.vmworkers.dispatch.WorkerStartupException;
import io.vmworkers.process.WorkerProcess;
import io.vmworkers.protocol.Frames;
import io.vmworkers.protocol.Link;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One worker process as the master is connected to it: its launch, its {@link Link}, the calls
 * sent to it and not yet answered, and what its frames say (ready, heartbeats, closing). A place
 * of the pool ({@link Replica}) owns one at a time; a spare's connection moves to the replica
 * place it takes over, calls in flight and all.
 */
final class ProcessConnection implements Link.FrameHandler {

	private static final Log logger = LogFactory.getLog(ProcessConnection.class);

	/** How long a retired process may take to finish its calls when calls have no time limit. */
	private static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);

	/** How often a drain looks whether the calls in flight have finished. */
	private static final long DRAIN_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

	private final WorkerPool pool;

	private final CompletableFuture<ProcessConnection> ready = new CompletableFuture<>();

	/** The secret the worker must present: 128 random bits, passed in its environment. */
	private final String token;

	private final Map<Long, PendingCall> pending = new ConcurrentHashMap<>();

	private final AtomicLong callIds = new AtomicLong();

	/** Calls this process answered, for {@code recycle.max-calls}. */
	private final AtomicLong answered = new AtomicLong();

	private final AtomicBoolean exitRecorded = new AtomicBoolean();

	private volatile Replica owner;

	private volatile Link link;

	private volatile WorkerLauncher.Launched launched;

	private volatile Instant startedAt;

	private volatile boolean exited;

	/** Set once the master asks this process to stop, so that its exit counts as expected. */
	private volatile boolean stopRequested;

	/** Set once new calls must not be sent here: it is being drained before it stops. */
	private volatile boolean retired;

	private volatile Heartbeat heartbeat;

	/** When the last heartbeat arrived, for display. */
	private volatile Instant heartbeatAt;

	/** When the last heartbeat arrived (System.nanoTime()), for the hang watch. */
	private volatile long heartbeatNanos;

	/** The number of the last beat taken in. */
	private long beatNumber;

	/** When the worker said it is closing (System.nanoTime()), or 0. */
	private volatile long closingSince;

	/** Set once the watch has killed this process, so that it is killed and reported once. */
	private volatile boolean killed;

	private volatile Instant readyAt;

	/** When the ready message arrived (System.nanoTime()). */
	private volatile long readyNanos;

	ProcessConnection(WorkerPool pool, Replica owner, String token) {
		this.pool = pool;
		this.owner = owner;
		this.token = token;
	}

	/**
	 * Connects to a launched process; nothing is read until {@link #startReading()}.
	 * @param launch the launch
	 */
	void connect(Launch launch) {
		this.link = new Link(this.pool.name(), launch.fromWorker(), launch.toWorker(), this.pool.codec(),
				this.pool.settings().sendTimeout(), this);
		if (launch.tcp() != null) {
			launch.tcp().whenGone(this.link::otherSideGone);
		}
		this.launched = launch.launched();
		this.startedAt = launch.startedAt();
	}

	/**
	 * Starts reading what the process sends. Once its place has installed it: a process launched
	 * early may have said it is ready long before, and that must find it in its place.
	 */
	void startReading() {
		this.link.start();
	}

	Replica owner() {
		return this.owner;
	}

	/**
	 * Moves this connection to another place, as when a spare takes over a replica's place.
	 * @param replica the new owner
	 */
	void moveTo(Replica replica) {
		this.owner = replica;
	}

	CompletableFuture<ProcessConnection> ready() {
		return this.ready;
	}

	Link link() {
		return this.link;
	}

	WorkerLauncher.Launched launched() {
		return this.launched;
	}

	WorkerProcess process() {
		WorkerLauncher.Launched current = this.launched;
		return (current != null) ? current.process() : null;
	}

	long pid() {
		WorkerProcess process = process();
		return (process != null) ? process.pid() : -1;
	}

	Instant startedAt() {
		return this.startedAt;
	}

	Instant readyAt() {
		return this.readyAt;
	}

	long readyNanos() {
		return this.readyNanos;
	}

	Heartbeat heartbeat() {
		readBeat();
		return this.heartbeat;
	}

	Instant heartbeatAt() {
		readBeat();
		return this.heartbeatAt;
	}

	long heartbeatNanos() {
		readBeat();
		return this.heartbeatNanos;
	}

	/**
	 * Takes in the worker's beat, which it publishes in shared memory every
	 * {@link Frames#HEARTBEAT_INTERVAL} instead of sending a frame: a new one is a sign of life,
	 * seen when the master looks (its watch, the endpoint), so that an idle worker wakes no
	 * thread of the master.
	 */
	private synchronized void readBeat() {
		Link current = this.link;
		long[] beat = (current != null) ? current.lastBeat() : null;
		if (beat == null || beat[0] == this.beatNumber) {
			return;
		}
		this.beatNumber = beat[0];
		this.heartbeat = new Heartbeat(beat[1], beat[2], beat[3]);
		this.heartbeatNanos = System.nanoTime();
		this.heartbeatAt = Instant.now();
	}

	long closingSince() {
		return this.closingSince;
	}

	boolean exited() {
		return this.exited;
	}

	void markExited() {
		this.exited = true;
	}

	boolean stopRequested() {
		return this.stopRequested;
	}

	void requestStop() {
		this.stopRequested = true;
	}

	boolean isRetired() {
		return this.retired;
	}

	/** Sends no new call here from now on; those in flight finish. */
	void retire() {
		this.retired = true;
	}

	boolean killed() {
		return this.killed;
	}

	/**
	 * Marks this process as killed by the watch.
	 * @return true the first time
	 */
	boolean markKilled() {
		if (this.killed) {
			return false;
		}
		this.killed = true;
		return true;
	}

	/**
	 * Marks this process's exit as recorded.
	 * @return true the first time
	 */
	boolean markExitRecorded() {
		return this.exitRecorded.compareAndSet(false, true);
	}

	/**
	 * Returns when the last heartbeat, or else the ready message, arrived.
	 * @return a System.nanoTime() value, or 0 before the process is ready
	 */
	long lastSignOfLife() {
		long beat = heartbeatNanos();
		return (beat != 0) ? beat : this.readyNanos;
	}

	/**
	 * Returns whether the process serves calls now: ready, not retired, its channel open.
	 * @return true when a call may be sent
	 */
	boolean serves() {
		Link current = this.link;
		return !this.retired && !this.exited && this.ready.isDone() && !this.ready.isCompletedExceptionally()
				&& current != null && current.isOpen();
	}

	long answered() {
		return this.answered.get();
	}

	int inFlight() {
		return this.pending.size();
	}

	/**
	 * Registers a call under a new id. Ids are 64 bits, so they do not wrap in practice; should one
	 * still be in use, the next is taken: an outstanding call is never replaced.
	 * @param call the call
	 * @return its id
	 */
	long register(PendingCall call) {
		while (true) {
			long id = this.callIds.incrementAndGet() & RingDescriptor.MAX_CORRELATION_ID;
			if (id != 0 && this.pending.putIfAbsent(id, call) == null) {
				return id;
			}
		}
	}

	/**
	 * Forgets a call that failed on this side (not sent, timed out, interrupted).
	 * @param id its id
	 * @return true when it was still outstanding
	 */
	boolean forget(long id) {
		return this.pending.remove(id) != null;
	}

	/**
	 * Fails every outstanding call: the process exited or was stopped.
	 * @param failure what the callers get
	 */
	void failPending(RuntimeException failure) {
		for (Long id : List.copyOf(this.pending.keySet())) {
			PendingCall call = this.pending.remove(id);
			if (call != null && call.fail(failure)) {
				this.owner.callFailed();
			}
		}
	}

	boolean hasPending() {
		return !this.pending.isEmpty();
	}

	/**
	 * Waits until this process, retired, has answered its calls in flight (up to the call timeout,
	 * or {@link #DRAIN_LIMIT} when calls have none) and taken what was put to it (up to the
	 * shutdown timeout), or has exited.
	 * @param settings the worker's settings
	 */
	void awaitDrained(WorkerSettings settings) {
		Duration callTimeout = settings.callTimeout();
		long start = System.nanoTime();
		long callsDeadline = start
				+ ((callTimeout.isZero() || callTimeout.isNegative()) ? DRAIN_LIMIT : callTimeout).toNanos();
		long dataDeadline = start + settings.shutdownTimeout().toNanos();
		while (!this.exited) {
			long now = System.nanoTime();
			boolean calls = hasPending() && now < callsDeadline;
			boolean data = this.link.unconsumed() > 0 && now < dataDeadline;
			if (!calls && !data) {
				return;
			}
			LockSupport.parkNanos(this, DRAIN_CHECK_NANOS);
		}
	}

	@Override
	public void onFrame(int type, long correlationId, Object payload) {
		switch (type) {
			case Frames.RESULT -> complete(correlationId, payload, null);
			case Frames.ERROR -> complete(correlationId, null, (RemoteThrowable) payload);
			case Frames.READY -> onReady(correlationId, payload);
			case Frames.CLOSE -> {
				// It exits of its own accord (its task closed the channel, or System.exit): no
				// longer a candidate for the hang watch, which would kill it and hide its exit code.
				this.closingSince = System.nanoTime();
				logger.info("Worker '" + this.pool.name() + "' (pid " + pid() + ") is closing its channel");
			}
			default -> logger.warn("Worker '" + this.pool.name() + "' sent an unknown frame type=" + type);
		}
	}

	private void onReady(long pid, Object presented) {
		WorkerProcess process = process();
		// A worker placed elsewhere has a pid of its host's, unknown here (-1): its launch is proven.
		if (!this.token.equals(presented) || (process != null && process.pid() > 0 && process.pid() != pid)) {
			// Not the process this master started: refuse it and stop ours.
			logger.error("Worker '" + this.pool.name() + "' failed the handshake (pid " + pid + "); killing it");
			this.ready.completeExceptionally(new WorkerStartupException(this.pool.name(), "worker '" + this.pool.name()
					+ "' failed the handshake: the process announcing itself (pid " + pid
					+ ") is not the one this master started", null));
			if (process != null) {
				process.kill();
			}
			return;
		}
		this.readyNanos = System.nanoTime();
		this.readyAt = Instant.now();
		if (this.launched != null) {
			this.launched.deleteArgumentFile();
		}
		// Complete first: the place's waiters, woken by onReady, find a process that serves.
		this.ready.complete(this);
		this.owner.onReady(this);
	}

	private void complete(long id, Object value, RemoteThrowable error) {
		PendingCall call = this.pending.remove(id);
		if (call == null) {
			// The call timed out or was failed already: a late reply goes to nobody else.
			return;
		}
		Replica place = this.owner;
		place.callCompleted(error != null);
		long calls = this.answered.incrementAndGet();
		Throwable failure = (error != null) ? error.toThrowable(this.pool.codec().allowList(),
				this.pool.methods().taskClass().getClassLoader(), this.pool.name()) : null;
		if (call.future() != null) {
			// Completing a future runs the application's callbacks: not while holding the read role.
			this.link.afterRead(() -> finish(call, value, failure));
		}
		else {
			finish(call, value, failure);
		}
		place.answered(this, calls);
	}

	private static void finish(PendingCall call, Object value, Throwable failure) {
		if (failure == null) {
			call.complete(value);
		}
		else {
			call.fail(failure);
		}
	}

	@Override
	public void onData(Object payload, int length) {
		this.pool.channelEnd().arrive(payload, length, this.link, this.owner);
	}

	@Override
	public void onUndecodable(int type, long correlationId, RuntimeException failure) {
		if (type == Frames.RESULT || type == Frames.ERROR) {
			PendingCall call = this.pending.remove(correlationId);
			if (call != null) {
				this.owner.callFailed();
				call.fail(failure);
			}
		}
		else {
			logger.error("Dropped a message from worker '" + this.pool.name() + "' that could not be read", failure);
		}
	}

	/**
	 * The worker's connection ended: expected once it said it is closing or was asked to stop, and
	 * the exit of a process that died is watched as for any process; a live process that dropped its
	 * connection is killed, as after a channel failure.
	 */
	@Override
	public void onOtherSideGone(RuntimeException cause) {
		WorkerProcess process = process();
		if (this.closingSince != 0 || this.stopRequested || this.exited || (process != null && !process.isAlive())) {
			// Expected, or the process died: its exit is reported and handled as for any worker.
			logger.debug("Connection of worker '" + this.pool.name() + "' (pid " + pid() + ") ended: " + cause.getMessage());
			return;
		}
		logger.error("Worker '" + this.pool.name() + "' (pid " + pid() + ") lost its connection (" + cause.getMessage()
				+ ")" + ((process != null) ? "; killing it" : ""));
		if (process != null) {
			process.kill();
		}
	}

	@Override
	public void onFailed(RuntimeException failure) {
		WorkerProcess process = process();
		if (process != null) {
			logger.error("Killing worker '" + this.pool.name() + "' (pid " + process.pid() + ") after a channel failure");
			process.kill();
		}
	}

}
