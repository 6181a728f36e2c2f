package io.vmworkers.dispatch.worker;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.vmworkers.channel.FrameSink;
import io.vmworkers.channel.IdleStrategy;
import io.vmworkers.channel.SharedRing;
import io.vmworkers.channel.WorkerChannel;
import io.vmworkers.channel.tcp.TcpChannel;
import io.vmworkers.codec.KryoCodec;
import io.vmworkers.codec.RemoteThrowable;
import io.vmworkers.protocol.ChannelEnd;
import io.vmworkers.protocol.DataHandlers;
import io.vmworkers.protocol.Frames;
import io.vmworkers.protocol.Invocation;
import io.vmworkers.protocol.Link;
import io.vmworkers.protocol.TaskMethods;
import io.vmworkers.protocol.Tracing;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.util.ClassUtils;

/**
 * The worker's side: attaches to the channel the master created, creates the task bean, tells the
 * master it is ready, then runs calls and delivers data until the master closes the channel.
 * <p>
 * Calls and data are handled in arrival order on the receiving thread, with no hand-off to
 * another thread: the cheapest round trip. A call or an {@code @OnData} handler still running
 * after {@link #RELIEF_AFTER} gets relief: another thread reads the ring meanwhile and runs further
 * calls on a pool, so a call that blocks (for example on {@code next()}) or a slow handler never
 * stalls the calls; data keeps its order and waits for the handler (see {@link ChannelEnd}).
 * <p>
 * When its JVM begins to exit for any reason but the master's request, the worker says so with a
 * CLOSE frame, so that the master does not take the silence of an exiting JVM for a hang.
 */
public final class WorkerRuntime implements Link.FrameHandler {

	/** How long a call may hold the receiving thread before another thread reads the ring. */
	public static final Duration RELIEF_AFTER = Duration.ofMillis(10);

	private static final Log logger = LogFactory.getLog(WorkerRuntime.class);

	/** How long the exit announcement may wait for room: it must not delay the exit. */
	private static final long EXIT_NOTICE_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private static final List<GarbageCollectorMXBean> COLLECTORS = ManagementFactory.getGarbageCollectorMXBeans();

	private static final List<MemoryPoolMXBean> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans()
		.stream()
		.filter((pool) -> pool.getType() == MemoryType.HEAP)
		.toList();

	/** After this long without calls the worker counts as idle and its relief thread sleeps. */
	private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

	/**
	 * Work read by the receiving thread, run by it in order after each read; taken over by the
	 * relief thread while a call blocks the receiving thread.
	 */
	private final ConcurrentLinkedDeque<Work> stash = new ConcurrentLinkedDeque<>();

	/** When the receiving thread began its current call, or 0 while it is not in one. */
	private volatile long busySince;

	private volatile long lastActivity;

	private final Thread relief;

	private final ScheduledExecutorService heartbeats;

	private final String name;

	private final Link link;

	private final ChannelEnd channel;

	private final BeanFactory beanFactory;

	private final CountDownLatch closed = new CountDownLatch(1);

	private final ExecutorService calls;

	private final Duration sendTimeout;

	/** Delivers the oldest arrival: one such work per object read, so none is allocated for it. */
	private final Work deliverOne = new Work(this::deliverOldestArrival, false);

	private volatile Object task;

	private volatile TaskMethods methods;

	private volatile Tracing tracing = Tracing.OFF;

	/** Set when the connection's handshake proved the launch: the READY frame then presents nothing. */
	private boolean launchProven;

	/** Collections counted at the last beat, and the heap used after them: the beat's thread only. */
	private long collectionsSeen = -1;

	private long usedAfterCollection = -1;

	/**
	 * Attaches to the channel the master created under the channel directory.
	 * @param name the worker's (bean) name
	 * @param inbound the ring the master writes
	 * @param outbound the ring this worker writes
	 * @param spin how long a waiting reader spins
	 * @param idle how the receiving thread waits for calls and data
	 * @param sendTimeout how long a sender waits for room
	 * @param codec the codec
	 * @param beanFactory where the task bean comes from
	 * @throws IOException when a ring cannot be attached
	 */
	public WorkerRuntime(String name, Path inbound, Path outbound, Duration spin, IdleStrategy idle,
			Duration sendTimeout, KryoCodec codec, BeanFactory beanFactory) throws IOException {
		this(name, SharedRing.attach(inbound, spin.toNanos()), SharedRing.attach(outbound, spin.toNanos()), idle,
				sendTimeout, codec, beanFactory);
	}

	/**
	 * Serves the channel made of the given rings: a worker's ends of them.
	 * @param name the worker's (bean) name
	 * @param in the ring the master writes
	 * @param out where this worker writes
	 * @param idle how the receiving thread waits for calls and data
	 * @param sendTimeout how long a sender waits for room
	 * @param codec the codec
	 * @param beanFactory where the task bean comes from
	 */
	public WorkerRuntime(String name, SharedRing in, FrameSink out, IdleStrategy idle, Duration sendTimeout,
			KryoCodec codec, BeanFactory beanFactory) {
		this.name = name;
		this.beanFactory = beanFactory;
		this.sendTimeout = sendTimeout;
		this.link = new Link(name, in, out, codec, sendTimeout, idle, this);
		this.channel = new ChannelEnd(name, this::finish, ChannelEnd.Links.of(this.link));
		this.channel.deliverInline(this.link.receiverThread());
		this.calls = Executors.newCachedThreadPool(new CallThreads(name));
		this.relief = new Thread(this::relieve, "vmworkers-" + name + "-relief");
		this.relief.setDaemon(true);
		this.heartbeats = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "vmworkers-" + name + "-heartbeat");
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Serves a channel over a TCP connection to the master, whose handshake proved this worker's
	 * launch already: its READY frame presents no secret. The end of the connection ends the worker.
	 * @param name the worker's (bean) name
	 * @param connection the connection, made
	 * @param idle how the receiving thread waits for calls and data
	 * @param sendTimeout how long a sender waits for room
	 * @param codec the codec
	 * @param beanFactory where the task bean comes from
	 * @return the runtime
	 */
	public static WorkerRuntime overTcp(String name, TcpChannel connection, IdleStrategy idle, Duration sendTimeout,
			KryoCodec codec, BeanFactory beanFactory) {
		WorkerRuntime runtime = new WorkerRuntime(name, connection.inbound(), connection.outbound(), idle, sendTimeout,
				codec, beanFactory);
		runtime.launchProven = true;
		connection.whenGone(runtime.link::otherSideGone);
		return runtime;
	}

	/**
	 * Has calls and data that come with a trace continue it here; call it before {@link #start}.
	 * @param tracing the tracing
	 */
	public void tracing(Tracing tracing) {
		this.tracing = tracing;
		this.channel.tracing(tracing);
	}

	public String name() {
		return this.name;
	}

	public WorkerChannel channel() {
		return this.channel;
	}

	/**
	 * Creates the task bean and tells the master this worker is ready.
	 * @param token the secret the master gave this worker at its launch
	 */
	public void start(String token) {
		Object bean = this.beanFactory.getBean(this.name);
		Class<?> taskClass = ClassUtils.getUserClass(bean);
		this.methods = TaskMethods.of(taskClass);
		this.channel.handlers(DataHandlers.of(bean, taskClass, false));
		this.task = bean;
		this.link.start();
		this.relief.start();
		this.link.send(Frames.READY, ProcessHandle.current().pid(),
				this.launchProven ? "" : Objects.requireNonNullElse(token, ""));
		long interval = Frames.HEARTBEAT_INTERVAL.toMillis();
		this.heartbeats.scheduleAtFixedRate(this::beat, interval, interval, TimeUnit.MILLISECONDS);
	}

	private void beat() {
		Runtime runtime = Runtime.getRuntime();
		long used = runtime.totalMemory() - runtime.freeMemory();
		long max = (runtime.maxMemory() == Long.MAX_VALUE) ? -1 : runtime.maxMemory();
		// Into shared memory, not a frame: the master reads it when it looks, and is not woken.
		this.link.beat(used, max, usedAfterCollection());
		// A frame, but only after data: what a drain of this process waits for.
		this.link.flushCredit();
	}

	/**
	 * Returns the heap in use after the last collection of each heap pool: what a recycling limit
	 * compares, since the heap in use at any moment includes garbage not yet collected. Worked out
	 * again only after a collection: an idle worker's beat asks the JVM for one count.
	 * @return bytes, or -1 before the first collection
	 */
	private long usedAfterCollection() {
		long collections = 0;
		for (GarbageCollectorMXBean collector : COLLECTORS) {
			collections += Math.max(0, collector.getCollectionCount());
		}
		if (collections == this.collectionsSeen) {
			return this.usedAfterCollection;
		}
		long used = 0;
		boolean collected = false;
		for (MemoryPoolMXBean pool : HEAP_POOLS) {
			MemoryUsage usage = pool.getCollectionUsage();
			if (usage != null && usage.getUsed() > 0) {
				used += usage.getUsed();
				collected = true;
			}
		}
		this.collectionsSeen = collections;
		this.usedAfterCollection = collected ? used : -1;
		return this.usedAfterCollection;
	}

	/**
	 * Tells the master that this JVM is exiting, unless the master asked for it: for a shutdown
	 * hook, so that it also runs for {@code System.exit} in the task and for signals.
	 */
	public void announceExit() {
		if (this.closed.getCount() == 0 || !this.link.isOpen()) {
			return;
		}
		try {
			this.link.send(Frames.CLOSE, 0L, null, EXIT_NOTICE_TIMEOUT_NANOS);
		}
		catch (RuntimeException ex) {
			// The master is gone or not reading: it learns of the exit from the process.
		}
	}

	/**
	 * Serves calls and data until the master closes the channel or the task closes it.
	 */
	public void awaitClose() {
		try {
			this.closed.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.heartbeats.shutdownNow();
			this.calls.shutdownNow();
			this.link.close();
			// Nothing reaches the task any more, and the data thread ends: a worker in the
			// master's JVM does not end with its process.
			this.channel.handlers(null);
			this.channel.stopDelivery();
		}
	}

	/**
	 * Stops serving at once without a word to the master, as a killed process does: what is in
	 * flight is lost; {@link #awaitClose()} returns.
	 */
	public void halt() {
		this.link.close();
		this.closed.countDown();
	}

	/**
	 * Ends {@link #awaitClose()}: the master asked, or the task closed its channel.
	 */
	void finish() {
		if (this.closed.getCount() > 0 && this.link.isOpen()) {
			try {
				this.link.send(Frames.CLOSE, 0L, null);
			}
			catch (RuntimeException ex) {
				// The master is gone or not reading: finishing anyway.
			}
		}
		this.closed.countDown();
	}

	@Override
	public void onFrame(int type, long correlationId, Object payload) {
		boolean receiver = this.link.isReceiverThread();
		switch (type) {
			case Frames.CALL -> {
				Runnable call = () -> call(correlationId, (Invocation) payload);
				if (receiver) {
					this.stash.add(new Work(call, true));
				}
				else {
					this.calls.execute(call);
				}
			}
			case Frames.CLOSE -> this.closed.countDown();
			default -> logger.warn("Master sent an unknown frame type=" + type);
		}
	}

	@Override
	public void onData(Object payload, int length) {
		this.channel.arrive(payload, length, this.link, null);
		if (this.link.isReceiverThread()) {
			// Delivered by this thread after the read, in order with the calls read with it.
			this.stash.add(this.deliverOne);
		}
	}

	private void deliverOldestArrival() {
		this.channel.deliverArrivals(1);
	}

	@Override
	public void afterPoll() {
		if (this.stash.isEmpty()) {
			return;
		}
		if (System.nanoTime() - this.lastActivity > IDLE_NANOS) {
			// The relief thread sleeps long while the worker is idle: have it watch this burst.
			LockSupport.unpark(this.relief);
		}
		try {
			Work work;
			while ((work = this.stash.poll()) != null) {
				this.busySince = System.nanoTime();
				work.task().run();
			}
		}
		finally {
			this.busySince = 0;
			this.lastActivity = System.nanoTime();
		}
	}

	/**
	 * Watches the receiving thread: when a call has held it for {@link #RELIEF_AFTER}, reads the
	 * ring on this thread until the call returns. Looks often only while the worker is busy.
	 */
	private void relieve() {
		long relief = RELIEF_AFTER.toNanos();
		while (this.link.isOpen()) {
			this.channel.reportSlowHandler(this.sendTimeout.toNanos());
			long since = this.busySince;
			long now = System.nanoTime();
			if (since != 0 && now - since > relief) {
				while (this.busySince == since && this.link.isOpen()) {
					this.channel.reportSlowHandler(this.sendTimeout.toNanos());
					takeOverStash();
					if (!this.link.poll(relief)) {
						LockSupport.parkNanos(this, relief);
					}
				}
				continue;
			}
			boolean recentlyActive = since != 0 || now - this.lastActivity < IDLE_NANOS;
			LockSupport.parkNanos(this, recentlyActive ? relief : IDLE_NANOS);
		}
	}

	/**
	 * Runs what the blocked receiving thread had read but not run yet: calls on the pool; data is
	 * left to the channel's delivery thread, so that a slow handler never holds up this thread.
	 */
	private void takeOverStash() {
		Work work;
		boolean data = false;
		while ((work = this.stash.poll()) != null) {
			if (work.call()) {
				this.calls.execute(work.task());
			}
			else {
				data = true;
			}
		}
		if (data) {
			this.channel.deliverElsewhere();
		}
	}

	private void call(long id, Invocation invocation) {
		Method method;
		Object result;
		Tracing.Span span = null;
		try {
			method = this.methods.method(invocation.method());
			if (invocation.trace() != null) {
				span = this.tracing.serveCall(this.name, method.getName(), invocation.trace());
			}
			result = method.invoke(this.task, invocation.arguments());
		}
		catch (InvocationTargetException ex) {
			replyError(id, ex.getTargetException(), span);
			return;
		}
		catch (Throwable ex) {
			replyError(id, ex, span);
			return;
		}
		if (result instanceof CompletableFuture<?> future) {
			Tracing.Span served = span;
			if (served != null) {
				served.leave();
			}
			future.whenComplete((value, failure) -> {
				if (failure != null) {
					replyError(id, (failure instanceof CompletionException && failure.getCause() != null)
							? failure.getCause() : failure, served);
				}
				else {
					reply(id, value, served);
				}
			});
		}
		else {
			reply(id, result, span);
		}
	}

	private void reply(long id, Object value, Tracing.Span span) {
		if (span == null) {
			reply(id, value);
			return;
		}
		try {
			this.link.send(Frames.RESULT, id, value);
		}
		catch (RuntimeException ex) {
			// For example a result class the allow-list refuses: the caller learns why.
			replyError(id, ex, span);
			return;
		}
		span.end();
	}

	private void replyError(long id, Throwable failure, Tracing.Span span) {
		if (span != null) {
			span.failed(failure);
			span.end();
		}
		replyError(id, failure);
	}

	private void reply(long id, Object value) {
		try {
			this.link.send(Frames.RESULT, id, value);
		}
		catch (RuntimeException ex) {
			// For example a result class the allow-list refuses: the caller learns why.
			replyError(id, ex);
		}
	}

	private void replyError(long id, Throwable failure) {
		try {
			this.link.send(Frames.ERROR, id, RemoteThrowable.of(failure));
		}
		catch (RuntimeException ex) {
			logger.error("Could not send the failure of call " + id + " to the master", ex);
		}
	}

	@Override
	public void onUndecodable(int type, long correlationId, RuntimeException failure) {
		if (type == Frames.CALL) {
			replyError(correlationId, failure);
		}
		else {
			logger.error("Dropped a message from the master that could not be read", failure);
		}
	}

	@Override
	public void onFailed(RuntimeException failure) {
		this.closed.countDown();
	}

	/** A call or a data delivery read by the receiving thread. */
	private record Work(Runnable task, boolean call) {

	}

	private static final class CallThreads implements ThreadFactory {

		private final String name;

		private final AtomicInteger count = new AtomicInteger();

		CallThreads(String name) {
			this.name = name;
		}

		@Override
		public Thread newThread(Runnable task) {
			Thread thread = new Thread(task, "vmworkers-" + this.name + "-call-" + this.count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}

	}

}
