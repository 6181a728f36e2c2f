package io.vmworkers.dispatch;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.vmworkers.annotation.Idempotent;
import io.vmworkers.channel.ChannelClosedException;
import io.vmworkers.channel.RingDescriptor;
import io.vmworkers.channel.SharedRing;
import io.vmworkers.channel.WorkerChannel;
import io.vmworkers.codec.KryoCodec;
import io.vmworkers.codec.RemoteThrowable;
import io.vmworkers.process.WorkerProcess;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * The master's side of one worker: launches its process, owns its channel, routes calls to it,
 * and tears it down. State changes happen under the instance lock; calls do not take it.
 */
final class ManagedWorker implements WorkerHandle {

	private static final Log logger = LogFactory.getLog(ManagedWorker.class);

	/** How long a caller reading its own answer sleeps on the ring before re-checking. */
	private static final long CALL_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	/** After SIGTERM, how long before SIGKILL. */
	private static final Duration TERMINATE_GRACE = Duration.ofMillis(500);

	private final String name;

	private final TaskMethods methods;

	private final WorkerSettings settings;

	private final WorkerLauncher launcher;

	private final KryoCodec codec;

	private final ChannelEnd channel;

	private final Map<Long, PendingCall> pending = new ConcurrentHashMap<>();

	private final AtomicLong callIds = new AtomicLong();

	private final AtomicLong callsCompleted = new AtomicLong();

	private final AtomicLong callsFailed = new AtomicLong();

	private final AtomicInteger startCount = new AtomicInteger();

	private volatile WorkerState state = WorkerState.NEW;

	private volatile Connection connection;

	private volatile ExitInfo lastExit;

	private final ScheduledExecutorService scheduler;

	/** When unexpected exits were followed by restarts, newest last; for the intensity limit. */
	private final Deque<Long> restarts = new ArrayDeque<>();

	/** A process launched before the dispatcher existed, until {@link #launch()} connects to it. */
	private Launch early;

	/** Whether any process of this worker has been ready: start-up failures before that are not restarted. */
	private volatile boolean everReady;

	private final List<WorkerObserver> observers = new CopyOnWriteArrayList<>();

	ManagedWorker(String name, Class<?> taskClass, WorkerSettings settings, WorkerLauncher launcher, KryoCodec codec,
			ScheduledExecutorService scheduler) {
		this.name = name;
		this.scheduler = scheduler;
		this.methods = TaskMethods.of(taskClass);
		this.methods.checkInterceptable();
		this.settings = settings;
		this.launcher = launcher;
		this.codec = codec;
		this.channel = new ChannelEnd(name, this::close, () -> awaitReady().endpoint());
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public long pid() {
		Connection current = this.connection;
		return (current != null) ? current.process().pid() : -1;
	}

	@Override
	public WorkerState state() {
		return this.state;
	}

	@Override
	public Instant startedAt() {
		Connection current = this.connection;
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
	public Heartbeat lastHeartbeat() {
		Connection current = this.connection;
		return (current != null) ? current.heartbeat : null;
	}

	@Override
	public Instant lastHeartbeatAt() {
		Connection current = this.connection;
		return (current != null) ? current.heartbeatAt : null;
	}

	@Override
	public Duration heartbeatAge() {
		Connection current = this.connection;
		long beat = (current != null) ? current.heartbeatNanos : 0;
		return (beat != 0) ? Duration.ofNanos(System.nanoTime() - beat) : null;
	}

	void addObserver(WorkerObserver observer) {
		this.observers.add(observer);
	}

	@Override
	public WorkerChannel channel() {
		return this.channel;
	}

	ChannelEnd channelEnd() {
		return this.channel;
	}

	TaskMethods methods() {
		return this.methods;
	}

	WorkerSettings settings() {
		return this.settings;
	}

	@Override
	public ChannelStatistics statistics() {
		Connection current = this.connection;
		if (current == null) {
			return new ChannelStatistics(0, 0, 0, 0, this.callsCompleted.get(), this.callsFailed.get(), 0, 0,
					this.settings.capacity());
		}
		SharedRing out = current.endpoint().outbound();
		SharedRing in = current.endpoint().inbound();
		return new ChannelStatistics(current.totalsBefore[0] + out.statistics().messagesWritten(),
				current.totalsBefore[1] + out.statistics().bytesWritten(),
				current.totalsBefore[2] + in.statistics().messagesRead(),
				current.totalsBefore[3] + in.statistics().bytesRead(), this.callsCompleted.get(),
				this.callsFailed.get(), in.isClosed() ? 0 : out.bytesWaiting(), in.isClosed() ? 0 : in.bytesWaiting(),
				out.capacity());
	}

	/**
	 * Starts the process if it is not running or starting; returns at once.
	 */
	synchronized void launch() {
		if (this.state == WorkerState.STARTING || this.state == WorkerState.READY) {
			return;
		}
		this.state = WorkerState.STARTING;
		notifyAll();
		long[] before = totals();
		CompletableFuture<Connection> ready = new CompletableFuture<>();
		Launch launch = this.early;
		this.early = null;
		if (launch == null) {
			try {
				// Also here: a call made before the dispatcher started may launch first.
				launch = Launch.start(this.name, this.settings, this.launcher);
			}
			catch (IOException | RuntimeException ex) {
				this.state = WorkerState.FAILED;
				notifyAll();
				ready.completeExceptionally(new WorkerStartupException(this.name,
						"worker '" + this.name + "' could not be started: " + ex.getMessage() + " (channel directory "
								+ this.settings.directory() + "; vmworkers.channel.directory)",
						ex));
				this.connection = new Connection(ready, before, null);
				return;
			}
		}
		Connection connection = new Connection(ready, before, launch.token());
		Endpoint endpoint = new Endpoint(this.name, launch.fromWorker(), launch.toWorker(), this.codec,
				this.settings.sendTimeout(), connection);
		connection.endpoint = endpoint;
		endpoint.start();
		connection.launched = launch.launched();
		connection.startedAt = launch.startedAt();
		this.startCount.incrementAndGet();
		this.connection = connection;
		this.channel.bind(endpoint);
		launch.launched().process().onExit().thenRun(() -> onExit(connection));
	}

	/**
	 * Takes over a process launched for this worker before the dispatcher existed; the next
	 * {@link #launch()} connects to it instead of starting another.
	 * @param launch the early launch, made with this worker's settings
	 */
	synchronized void adopt(Launch launch) {
		if (this.state != WorkerState.NEW || this.early != null) {
			throw new IllegalStateException("worker '" + this.name + "' cannot adopt a launch in state " + this.state);
		}
		this.early = launch;
	}

	private long[] totals() {
		ChannelStatistics statistics = statistics();
		return new long[] { statistics.messagesToWorker(), statistics.bytesToWorker(),
				statistics.messagesFromWorker(), statistics.bytesFromWorker() };
	}

	/**
	 * Waits until the worker is ready, launching it first if nobody has.
	 * @return the ready connection
	 * @throws WorkerStartupException when it does not become ready in time
	 * @throws ChannelClosedException when the worker has been stopped
	 */
	Connection awaitReady() {
		Connection current = this.connection;
		if (current != null && this.state == WorkerState.READY) {
			return current;
		}
		if (this.state == WorkerState.NEW) {
			launch();
		}
		if (this.state == WorkerState.RESTARTING) {
			awaitRestart();
		}
		if (this.state == WorkerState.STOPPING || this.state == WorkerState.STOPPED) {
			throw new ChannelClosedException("worker '" + this.name + "' is " + this.state.name().toLowerCase()
					+ "; start it again with VmDispatcher.worker(\"" + this.name + "\").restart()");
		}
		current = this.connection;
		if (this.state == WorkerState.FAILED && current.ready.isDone() && !current.ready.isCompletedExceptionally()) {
			// It was ready, then died: say so at once instead of failing on a closed channel.
			WorkerProcess process = current.process();
			throw new WorkerDiedException(this.name, process.pid(), process.exitCode(), "worker '" + this.name
					+ "' (pid " + process.pid() + ") died with " + process.describeExit()
					+ "; restart it with VmDispatcher.worker(\"" + this.name + "\").restart()");
		}
		try {
			return current.ready.get(this.settings.startupTimeout().toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			WorkerProcess process = current.process();
			String message = "worker '" + this.name + "' was not ready within " + this.settings.startupTimeout()
					+ " (vmworkers.startup-timeout)" + describe(process);
			synchronized (this) {
				// Stopping: a READY frame arriving meanwhile does not make it ready, nor its exit unexpected.
				if (this.connection == current && this.state == WorkerState.STARTING) {
					this.state = WorkerState.STOPPING;
					notifyAll();
				}
			}
			stopConnection(current, WorkerState.FAILED);
			throw new WorkerStartupException(this.name, message, null);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new WorkerStartupException(this.name, "worker '" + this.name + "' failed to start", cause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new WorkerStartupException(this.name, "interrupted while waiting for worker '" + this.name + "'", ex);
		}
	}

	private synchronized void awaitRestart() {
		long deadline = System.nanoTime() + this.settings.startupTimeout().toNanos()
				+ this.settings.restart().maxBackoff().toNanos();
		while (this.state == WorkerState.RESTARTING) {
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				throw new WorkerStartupException(this.name, "worker '" + this.name + "' is still restarting", null);
			}
			try {
				TimeUnit.NANOSECONDS.timedWait(this, remaining);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new WorkerStartupException(this.name, "interrupted while worker '" + this.name + "' restarts",
						ex);
			}
		}
	}

	private String describe(WorkerProcess process) {
		if (process == null) {
			return "";
		}
		StringBuilder text = new StringBuilder();
		text.append("; pid=").append(process.pid()).append(", ").append(process.describeExit());
		text.append("; command: ").append(String.join(" ", abbreviate(process.command())));
		List<String> tail = process.outputTail();
		if (tail.isEmpty()) {
			text.append("; no output");
		}
		else {
			text.append("; last output:");
			tail.forEach((line) -> text.append(System.lineSeparator()).append("  ").append(line));
		}
		return text.toString();
	}

	private static List<String> abbreviate(List<String> command) {
		List<String> shown = new ArrayList<>(command.size());
		for (String part : command) {
			shown.add((part.length() > 200) ? part.substring(0, 200) + "...(" + part.length() + " chars)" : part);
		}
		return shown;
	}

	/**
	 * Sends a call to the worker and returns its result, or, for a method returning
	 * {@link CompletableFuture}, a future of it. A synchronous caller reads the answer from the
	 * ring itself when no other thread is reading.
	 */
	Object invoke(Method method, int index, Object[] arguments) throws Throwable {
		try {
			return invokeOnce(method, index, arguments);
		}
		catch (WorkerDiedException ex) {
			if (!AnnotatedElementUtils.hasAnnotation(method, Idempotent.class) || !this.settings.restart().enabled()) {
				throw ex;
			}
			logger.info("Retrying idempotent " + method.getName() + " on restarted worker '" + this.name + "'");
			return invokeOnce(method, index, arguments);
		}
	}

	private Object invokeOnce(Method method, int index, Object[] arguments) throws Throwable {
		Connection current = awaitReady();
		Endpoint endpoint = current.endpoint();
		long start = System.nanoTime();
		boolean async = TaskMethods.isAsync(method);
		PendingCall call = async ? PendingCall.async() : PendingCall.waitedBy(Thread.currentThread());
		long id = register(call);
		if (!async) {
			endpoint.enterWaiter();
		}
		try {
			try {
				endpoint.send(Frames.CALL, id, new Invocation(index, arguments));
			}
			catch (RuntimeException ex) {
				this.pending.remove(id);
				this.callsFailed.incrementAndGet();
				throw ex;
			}
			if (current.exited) {
				// The exit handler may have run between awaitReady and send: fail now, not never.
				failPending(current);
			}
			if (async) {
				CompletableFuture<Object> result = withTimeout(call.future(), id, method);
				if (!this.observers.isEmpty()) {
					result.whenComplete((value, failure) -> observeCall(method, start, failure != null));
				}
				return result;
			}
			boolean failed = true;
			try {
				awaitAnswer(call, endpoint, id, method, start);
				Object result = call.result();
				failed = false;
				return result;
			}
			catch (Throwable ex) {
				throw rethrowable(ex, method);
			}
			finally {
				if (!this.observers.isEmpty()) {
					observeCall(method, start, failed);
				}
			}
		}
		finally {
			if (!async) {
				endpoint.exitWaiter();
			}
		}
	}

	/**
	 * Registers a call under a new id. Ids are 64 bits, so they do not wrap in practice; should one
	 * still be in use, the next is taken: an outstanding call is never replaced.
	 */
	private long register(PendingCall call) {
		while (true) {
			long id = this.callIds.incrementAndGet() & RingDescriptor.MAX_CORRELATION_ID;
			if (id != 0 && this.pending.putIfAbsent(id, call) == null) {
				return id;
			}
		}
	}

	private void observeCall(Method method, long start, boolean failed) {
		long nanos = System.nanoTime() - start;
		for (WorkerObserver observer : this.observers) {
			observer.callCompleted(this.name, method.getName(), nanos, failed);
		}
	}

	private void awaitAnswer(PendingCall call, Endpoint endpoint, long id, Method method, long start) {
		Duration timeout = this.settings.callTimeout();
		long deadline = (timeout.isZero() || timeout.isNegative()) ? Long.MAX_VALUE : start + timeout.toNanos();
		int attempt = 0;
		while (!call.isDone()) {
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				if (this.pending.remove(id) != null) {
					this.callsFailed.incrementAndGet();
					throw new WorkerCallTimeoutException("call to " + method.getName() + " on worker '" + this.name
							+ "' timed out after " + timeout + " (vmworkers.call-timeout); the call may have executed");
				}
				continue;
			}
			if (!endpoint.poll(Math.min(remaining, CALL_POLL_NANOS))) {
				endpoint.awaitTurn(call, attempt++);
			}
			if (Thread.interrupted()) {
				this.pending.remove(id);
				this.callsFailed.incrementAndGet();
				Thread.currentThread().interrupt();
				throw new WorkerCallTimeoutException("interrupted while waiting for " + method.getName()
						+ " on worker '" + this.name + "'; the call may have executed");
			}
		}
	}

	private CompletableFuture<Object> withTimeout(CompletableFuture<Object> reply, long id, Method method) {
		Duration timeout = this.settings.callTimeout();
		if (timeout.isZero() || timeout.isNegative()) {
			return reply;
		}
		CompletableFuture<Object> result = new CompletableFuture<>();
		reply.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((value, failure) -> {
			if (failure instanceof TimeoutException) {
				this.pending.remove(id);
				this.callsFailed.incrementAndGet();
				result.completeExceptionally(new WorkerCallTimeoutException("call to " + method.getName()
						+ " on worker '" + this.name + "' timed out after " + timeout + " (vmworkers.call-timeout)"));
			}
			else if (failure != null) {
				result.completeExceptionally(failure);
			}
			else {
				result.complete(value);
			}
		});
		return result;
	}

	private static Throwable rethrowable(Throwable failure, Method method) {
		if (failure instanceof RuntimeException || failure instanceof Error) {
			return failure;
		}
		for (Class<?> declared : method.getExceptionTypes()) {
			if (declared.isInstance(failure)) {
				return failure;
			}
		}
		return new UndeclaredThrowableException(failure, "worker method " + method.getName() + " threw " + failure);
	}

	@Override
	public void restart() {
		close();
		synchronized (this) {
			this.state = WorkerState.NEW;
			this.restarts.clear();
		}
		awaitReady();
	}

	@Override
	public void close() {
		Connection current;
		Launch unconnected;
		boolean stopped;
		synchronized (this) {
			current = this.connection;
			// Only a NEW worker holds an adopted launch: launch() takes it.
			unconnected = this.early;
			this.early = null;
			stopped = this.state == WorkerState.NEW || this.state == WorkerState.STOPPED;
			this.state = stopped ? WorkerState.STOPPED : WorkerState.STOPPING;
			notifyAll();
		}
		if (unconnected != null) {
			// The dispatcher stopped before it launched: the process adopted for this worker goes too.
			unconnected.discard();
		}
		if (stopped) {
			return;
		}
		if (current != null) {
			stopConnection(current, WorkerState.STOPPED);
		}
		synchronized (this) {
			this.state = WorkerState.STOPPED;
			notifyAll();
		}
		this.channel.stopDelivery();
	}

	private void stopConnection(Connection current, WorkerState finalState) {
		// Its exit is asked for: expected, even when the exit handler runs after the final state is set.
		current.stopRequested = true;
		WorkerProcess process = current.process();
		Endpoint endpoint = current.endpoint();
		if (process != null) {
			// One deadline for asking and waiting: a worker that stopped reading (a full ring) must
			// not make the stop take longer than the shutdown timeout.
			long deadline = System.nanoTime() + this.settings.shutdownTimeout().toNanos();
			boolean asked = false;
			if (endpoint != null && endpoint.isOpen()) {
				try {
					endpoint.send(Frames.CLOSE, 0L, null, this.settings.shutdownTimeout().toNanos());
					asked = true;
				}
				catch (RuntimeException ex) {
					// The worker cannot be asked over the channel; end-of-file on its stdin asks instead.
				}
			}
			if (!asked) {
				process.closeInput();
			}
			if (!process.awaitExit(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
				logger.warn("Worker '" + this.name + "' (pid " + process.pid() + ") did not stop within "
						+ this.settings.shutdownTimeout() + " (vmworkers.shutdown-timeout); terminating it");
				process.closeInput();
				if (!process.terminate(TERMINATE_GRACE)) {
					logger.error("Worker '" + this.name + "' (pid " + process.pid() + ") survived SIGKILL");
				}
			}
		}
		finishConnection(current);
		this.state = finalState;
		if (process != null && !process.isAlive()) {
			recordExit(current, true);
		}
	}

	/**
	 * Keeps how a process ended and tells the observers, once per process.
	 */
	private void recordExit(Connection exited, boolean expected) {
		if (!exited.exitRecorded.compareAndSet(false, true)) {
			return;
		}
		WorkerProcess process = exited.process();
		ExitInfo exit = new ExitInfo(process.pid(), process.exitCode(), process.describeExit(), Instant.now(), expected,
				process.outputTail());
		this.lastExit = exit;
		for (WorkerObserver observer : this.observers) {
			observer.workerExited(this, exit);
		}
	}

	private void onExit(Connection exited) {
		exited.exited = true;
		boolean expected;
		Duration restartIn = null;
		synchronized (this) {
			expected = exited.stopRequested || this.state == WorkerState.STOPPING
					|| this.state == WorkerState.STOPPED || this.connection != exited;
			if (!expected) {
				restartIn = restartDelay();
				this.state = (restartIn != null) ? WorkerState.RESTARTING : WorkerState.FAILED;
				notifyAll();
			}
		}
		WorkerProcess process = exited.process();
		if (!expected) {
			logger.error("Worker '" + this.name + "' (pid " + process.pid() + ") exited unexpectedly with "
					+ process.describeExit() + ((restartIn != null) ? "; restarting in " + restartIn.toMillis() + " ms"
							: "; not restarting (" + restartRefusal() + ")"));
		}
		finishConnection(exited);
		if (restartIn != null) {
			this.scheduler.schedule(this::relaunch, restartIn.toNanos(), TimeUnit.NANOSECONDS);
		}
		recordExit(exited, expected);
	}

	/**
	 * Decides on a restart after an unexpected exit, under the lock.
	 * @return the back-off, or null when the worker is to stay failed
	 */
	private Duration restartDelay() {
		RestartPolicy policy = this.settings.restart();
		if (!policy.enabled() || !this.everReady) {
			return null;
		}
		long now = System.nanoTime();
		while (!this.restarts.isEmpty() && now - this.restarts.peekFirst() > policy.window().toNanos()) {
			this.restarts.removeFirst();
		}
		if (this.restarts.size() >= policy.maxRestarts()) {
			return null;
		}
		Duration delay = policy.backoff(this.restarts.size());
		this.restarts.addLast(now);
		return delay;
	}

	private String restartRefusal() {
		RestartPolicy policy = this.settings.restart();
		if (!policy.enabled()) {
			return "vmworkers.restart.mode=never";
		}
		if (!this.everReady) {
			return "it never became ready";
		}
		return policy.maxRestarts() + " restarts within " + policy.window()
				+ " already (vmworkers.restart.max-restarts, vmworkers.restart.window)";
	}

	private void relaunch() {
		Connection started;
		synchronized (this) {
			if (this.state != WorkerState.RESTARTING) {
				return;
			}
			launch();
			started = this.connection;
		}
		// Nobody may be waiting for it: make sure a restart that hangs is handled as a crash.
		this.scheduler.schedule(() -> {
			if (this.connection == started && !started.ready.isDone() && started.process() != null) {
				logger.error("Worker '" + this.name + "' was not ready within " + this.settings.startupTimeout()
						+ " after a restart (vmworkers.startup-timeout); killing it");
				started.process().kill();
			}
		}, this.settings.startupTimeout().toNanos(), TimeUnit.NANOSECONDS);
	}

	/**
	 * Returns how long until {@link #watch()} could find this worker silent for too long: its
	 * heartbeat deadline, or its heartbeat timeout when it is not ready (it may become ready any time).
	 * @return the time until the deadline, never negative
	 */
	Duration untilHeartbeatDeadline() {
		Connection current = this.connection;
		Duration timeout = this.settings.heartbeatTimeout();
		if (this.state != WorkerState.READY || current == null || current.killed || current.lastSignOfLife() == 0) {
			return timeout;
		}
		long left = current.lastSignOfLife() + timeout.toNanos() - System.nanoTime();
		return Duration.ofNanos(Math.max(0, left));
	}

	/**
	 * Kills a worker that stopped sending heartbeats, that said it is closing but did not exit
	 * within the shutdown timeout, or whose channel file vanished; its exit is then handled as a
	 * crash. Also reports an {@code @OnData} handler of this side that runs for long. Called
	 * periodically by the dispatcher. Ages are measured on the monotonic clock, so that a step of
	 * the wall clock neither kills a healthy worker nor hides a hung one.
	 */
	void watch() {
		this.channel.reportSlowHandler(this.settings.sendTimeout().toNanos());
		Connection current = this.connection;
		if (this.state != WorkerState.READY || current == null || current.exited || current.process() == null) {
			return;
		}
		long now = System.nanoTime();
		String reason = null;
		if (current.closingSince != 0) {
			long closing = now - current.closingSince;
			if (closing > this.settings.shutdownTimeout().toNanos()) {
				reason = "said it is closing " + TimeUnit.NANOSECONDS.toMillis(closing)
						+ " ms ago and is still running (vmworkers.shutdown-timeout=" + this.settings.shutdownTimeout()
						+ ")";
			}
		}
		else if (current.lastSignOfLife() != 0
				&& now - current.lastSignOfLife() > this.settings.heartbeatTimeout().toNanos()) {
			reason = "sent no heartbeat for " + TimeUnit.NANOSECONDS.toMillis(now - current.lastSignOfLife())
					+ " ms (vmworkers.heartbeat-timeout=" + this.settings.heartbeatTimeout() + ")";
		}
		else if (!Files.exists(current.endpoint().inbound().file()) || !Files.exists(current.endpoint().outbound().file())) {
			reason = "lost a channel file (deleted from " + this.settings.directory() + ")";
		}
		if (reason != null && !current.killed) {
			current.killed = true;
			logger.error("Worker '" + this.name + "' (pid " + current.process().pid() + ") " + reason + "; killing it");
			current.process().kill();
		}
	}

	private void finishConnection(Connection current) {
		Endpoint endpoint = current.endpoint();
		if (endpoint != null) {
			endpoint.close();
			endpoint.deleteFiles();
		}
		if (current.launched != null) {
			current.launched.deleteArgumentFile();
			current.launched.finishSharing(this.name, current.readyAt != null);
			// The stdin pipe is the only stream nobody closes when a process dies on its own.
			current.launched.process().closeInput();
		}
		failPending(current);
		WorkerProcess process = current.process();
		current.ready.completeExceptionally(new WorkerStartupException(this.name,
				"worker '" + this.name + "' stopped before it was ready" + describe(process), null));
	}

	private void failPending(Connection current) {
		if (this.pending.isEmpty()) {
			return;
		}
		WorkerProcess process = current.process();
		String message = "worker '" + this.name + "' " + ((process != null) ? "(pid " + process.pid() + ") " : "")
				+ (current.exited ? "died with " + process.describeExit() : "was stopped")
				+ " before answering; the call may have executed" + (current.exited ? describe(process) : "");
		RuntimeException failure = new WorkerDiedException(this.name, (process != null) ? process.pid() : -1,
				(process != null) ? process.exitCode() : -1, message);
		for (Long id : List.copyOf(this.pending.keySet())) {
			PendingCall call = this.pending.remove(id);
			if (call != null && call.fail(failure)) {
				this.callsFailed.incrementAndGet();
			}
		}
	}


	/** One process and its channel: what a restart replaces. */
	final class Connection implements Endpoint.FrameHandler {

		private final CompletableFuture<Connection> ready;

		/** Statistics totals of earlier connections, so counts survive restarts. */
		private final long[] totalsBefore;

		private volatile Endpoint endpoint;

		private volatile WorkerLauncher.Launched launched;

		private volatile Instant startedAt;

		private volatile boolean exited;

		/** Set once the master asks this process to stop, so that its exit counts as expected. */
		private volatile boolean stopRequested;

		private volatile Heartbeat heartbeat;

		/** When the last heartbeat arrived, for display. */
		private volatile Instant heartbeatAt;

		/** When the last heartbeat arrived (System.nanoTime()), for the hang watch. */
		private volatile long heartbeatNanos;

		/** When the worker said it is closing (System.nanoTime()), or 0. */
		private volatile long closingSince;

		/** Set once the watch has killed this process, so that it is killed and reported once. */
		private volatile boolean killed;

		private volatile Instant readyAt;

		/** When the ready message arrived (System.nanoTime()). */
		private volatile long readyNanos;

		private final AtomicBoolean exitRecorded = new AtomicBoolean();

		/** The secret the worker must present: 128 random bits, passed in its environment. */
		private final String token;

		Connection(CompletableFuture<Connection> ready, long[] totalsBefore, String token) {
			this.ready = ready;
			this.totalsBefore = totalsBefore;
			this.token = token;
		}

		Endpoint endpoint() {
			return this.endpoint;
		}

		WorkerProcess process() {
			WorkerLauncher.Launched current = this.launched;
			return (current != null) ? current.process() : null;
		}

		Instant startedAt() {
			return this.startedAt;
		}

		/**
		 * Returns when the last heartbeat, or else the ready message, arrived.
		 * @return a System.nanoTime() value, or 0 before the process is ready
		 */
		long lastSignOfLife() {
			long beat = this.heartbeatNanos;
			return (beat != 0) ? beat : this.readyNanos;
		}

		/**
		 * Returns when this process sent its ready message.
		 * @return the time, or null before it is ready
		 */
		Instant readyAt() {
			return this.readyAt;
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
					logger.info("Worker '" + name + "' is closing its channel");
				}
				case Frames.HEARTBEAT -> {
					if (payload instanceof long[] heap && heap.length == 2) {
						this.heartbeat = new Heartbeat(heap[0], heap[1]);
					}
					this.heartbeatNanos = System.nanoTime();
					this.heartbeatAt = Instant.now();
				}
				default -> logger.warn("Worker '" + name + "' sent an unknown frame type=" + type);
			}
		}

		private void onReady(long pid, Object token) {
			WorkerProcess process = process();
			if (!this.token.equals(token) || (process != null && process.pid() != pid)) {
				// Not the process this master started: refuse it and stop ours.
				logger.error("Worker '" + name + "' failed the handshake (pid " + pid + "); killing it");
				this.ready.completeExceptionally(new WorkerStartupException(name,
						"worker '" + name + "' failed the handshake: the process announcing itself (pid " + pid
								+ ") is not the one this master started",
						null));
				if (process != null) {
					process.kill();
				}
				return;
			}
			synchronized (ManagedWorker.this) {
				if (ManagedWorker.this.connection == this && state == WorkerState.STARTING) {
					state = WorkerState.READY;
					everReady = true;
					this.readyNanos = System.nanoTime();
					this.readyAt = Instant.now();
					ManagedWorker.this.notifyAll();
				}
			}
			if (this.launched != null) {
				this.launched.deleteArgumentFile();
			}
			this.ready.complete(this);
			for (WorkerObserver observer : observers) {
				observer.workerReady(ManagedWorker.this);
			}
		}

		private void complete(long id, Object value, RemoteThrowable error) {
			PendingCall call = pending.remove(id);
			if (call == null) {
				// The call timed out or was failed already: a late reply goes to nobody else.
				return;
			}
			callsCompleted.incrementAndGet();
			Throwable failure = null;
			if (error != null) {
				callsFailed.incrementAndGet();
				failure = error.toThrowable(codec.allowList(), codecClassLoader(), name);
			}
			if (call.future() != null) {
				// Completing a future runs the application's callbacks: not while holding the read role.
				Throwable failed = failure;
				this.endpoint.afterRead(() -> finish(call, value, failed));
			}
			else {
				finish(call, value, failure);
			}
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
			channel.arrive(payload, length, this.endpoint);
		}

		@Override
		public void onUndecodable(int type, long correlationId, RuntimeException failure) {
			if (type == Frames.RESULT || type == Frames.ERROR) {
				PendingCall call = pending.remove(correlationId);
				if (call != null) {
					callsFailed.incrementAndGet();
					call.fail(failure);
				}
			}
			else {
				logger.error("Dropped a message from worker '" + name + "' that could not be read", failure);
			}
		}

		@Override
		public void onFailed(RuntimeException failure) {
			WorkerProcess process = process();
			if (process != null) {
				logger.error("Killing worker '" + name + "' (pid " + process.pid() + ") after a channel failure");
				process.kill();
			}
		}

	}

	private ClassLoader codecClassLoader() {
		return this.methods.taskClass().getClassLoader();
	}

	@Override
	public String toString() {
		return "Worker[" + this.name + ", state=" + this.state + ", pid=" + pid() + "]";
	}

}
