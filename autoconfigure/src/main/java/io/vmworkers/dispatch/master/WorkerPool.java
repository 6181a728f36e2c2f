package io.vmworkers.dispatch.master;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.vmworkers.channel.ChannelClosedException;
import io.vmworkers.channel.WorkerChannel;
import io.vmworkers.codec.KryoCodec;
import io.vmworkers.dispatch.ChannelStatistics;
import io.vmworkers.dispatch.ExitInfo;
import io.vmworkers.dispatch.Heartbeat;
import io.vmworkers.dispatch.PoolSettings;
import io.vmworkers.dispatch.ReplicaHandle;
import io.vmworkers.dispatch.ReplicaRole;
import io.vmworkers.dispatch.Transport;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerObserver;
import io.vmworkers.dispatch.WorkerSettings;
import io.vmworkers.dispatch.WorkerStartupException;
import io.vmworkers.dispatch.WorkerState;
import io.vmworkers.protocol.ChannelEnd;
import io.vmworkers.protocol.Link;
import io.vmworkers.protocol.TaskMethods;
import io.vmworkers.protocol.Tracing;


/**
 * The master's side of one worker: a pool of places ({@link Replica}), the replicas that serve and
 * the spares kept ready, with the channel they share. Routes each call to a serving replica: the
 * one its {@code @RoutingKey} names, else the one with the fewest calls in flight.
 */
final class WorkerPool implements WorkerHandle {

	/**
	 * The longest a thread waiting for a replica's state to change sleeps on the pool's lock
	 * before it looks again: changes signal the lock, but a process found gone is only seen by
	 * looking.
	 */
	static final long STATE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private final String name;

	private final TaskMethods methods;

	private final WorkerSettings settings;

	private final PoolSettings poolSettings;

	private final WorkerStarter starter;

	private final KryoCodec codec;

	private final ScheduledExecutorService scheduler;

	private final ChannelEnd channel;

	private final RemoteCalls calls;

	/** Every place: the replicas, then the spares. */
	private final List<Replica> places;

	private final List<Replica> replicas;

	private final List<Replica> spares;

	private final List<WorkerObserver> observers = new CopyOnWriteArrayList<>();

	private volatile Tracing tracing = Tracing.OFF;

	private volatile boolean closed;

	WorkerPool(String name, Class<?> taskClass, WorkerSettings settings, PoolSettings poolSettings,
			WorkerStarter starter, KryoCodec codec, ScheduledExecutorService scheduler) {
		this.name = name;
		this.methods = TaskMethods.of(taskClass);
		this.methods.checkInterceptable();
		this.settings = settings;
		this.poolSettings = poolSettings;
		this.starter = starter;
		this.codec = codec;
		this.scheduler = scheduler;
		List<Replica> all = new ArrayList<>();
		for (int i = 0; i < poolSettings.processes(); i++) {
			all.add(new Replica(this, i, (i < poolSettings.replicas()) ? ReplicaRole.REPLICA : ReplicaRole.SPARE));
		}
		this.places = List.copyOf(all);
		this.replicas = this.places.subList(0, poolSettings.replicas());
		this.spares = this.places.subList(poolSettings.replicas(), this.places.size());
		this.channel = new ChannelEnd(name, this::close, new PoolLinks());
		this.calls = new RemoteCalls(this);
	}

	@Override
	public String name() {
		return this.name;
	}

	TaskMethods methods() {
		return this.methods;
	}

	WorkerSettings settings() {
		return this.settings;
	}

	PoolSettings poolSettings() {
		return this.poolSettings;
	}

	WorkerStarter starter() {
		return this.starter;
	}

	KryoCodec codec() {
		return this.codec;
	}

	ScheduledExecutorService scheduler() {
		return this.scheduler;
	}

	ChannelEnd channelEnd() {
		return this.channel;
	}

	List<WorkerObserver> observers() {
		return this.observers;
	}

	Tracing tracing() {
		return this.tracing;
	}

	void tracing(Tracing tracing) {
		this.tracing = tracing;
		this.channel.tracing(tracing);
	}

	void addObserver(WorkerObserver observer) {
		this.observers.add(observer);
	}

	boolean isClosed() {
		return this.closed;
	}

	/** The place whose process the pool-wide figures describe: the first serving replica. */
	private Replica primary() {
		for (Replica replica : this.replicas) {
			if (replica.serving() != null) {
				return replica;
			}
		}
		return this.replicas.get(0);
	}

	@Override
	public long pid() {
		return primary().pid();
	}

	@Override
	public int debugPort() {
		return primary().debugPort();
	}

	@Override
	public String location() {
		return primary().location();
	}

	@Override
	public WorkerState state() {
		if (this.closed) {
			return this.places.stream().anyMatch((place) -> place.state() == WorkerState.STOPPING)
					? WorkerState.STOPPING : WorkerState.STOPPED;
		}
		return this.replicas.stream().map(Replica::state).min(Comparator.comparingInt(WorkerPool::closeness)).orElseThrow();
	}

	/** Orders states by how close a replica in them is to serving. */
	private static int closeness(WorkerState state) {
		return switch (state) {
			case READY -> 0;
			case STARTING -> 1;
			case RESTARTING -> 2;
			case STOPPING -> 3;
			case NEW -> 4;
			case FAILED -> 5;
			case STOPPED -> 6;
		};
	}

	@Override
	public List<? extends ReplicaHandle> replicas() {
		return this.places;
	}

	@Override
	public Instant startedAt() {
		return primary().startedAt();
	}

	@Override
	public int startCount() {
		return this.places.stream().mapToInt(Replica::startCount).sum();
	}

	@Override
	public ExitInfo lastExit() {
		return this.places.stream()
			.map(Replica::lastExit)
			.filter(Objects::nonNull)
			.max(Comparator.comparing(ExitInfo::at))
			.orElse(null);
	}

	@Override
	public Heartbeat lastHeartbeat() {
		return primary().lastHeartbeat();
	}

	@Override
	public Instant lastHeartbeatAt() {
		return primary().lastHeartbeatAt();
	}

	@Override
	public Duration heartbeatAge() {
		return primary().heartbeatAge();
	}

	@Override
	public WorkerChannel channel() {
		return this.channel;
	}

	@Override
	public Transport transport() {
		return this.settings.transport();
	}

	@Override
	public ChannelStatistics statistics() {
		long[] sums = new long[9];
		for (Replica place : this.places) {
			ChannelStatistics each = place.statistics();
			sums[0] += each.messagesToWorker();
			sums[1] += each.bytesToWorker();
			sums[2] += each.messagesFromWorker();
			sums[3] += each.bytesFromWorker();
			sums[4] += each.callsCompleted();
			sums[5] += each.callsFailed();
			sums[6] += each.bytesWaitingToWorker();
			sums[7] += each.bytesWaitingFromWorker();
			sums[8] += each.wakeUpsOfWorker();
		}
		return new ChannelStatistics(sums[0], sums[1], sums[2], sums[3], sums[4], sums[5], sums[8], sums[6], sums[7],
				this.settings.capacity());
	}

	/**
	 * Sends a call to a replica and returns its result (see {@link RemoteCalls}).
	 * @param method the task method
	 * @param index its index among the routed methods
	 * @param arguments its arguments
	 * @return the result, or a future of it
	 * @throws Throwable what the method threw, or why the call failed
	 */
	Object invoke(Method method, int index, Object[] arguments) throws Throwable {
		return this.calls.invoke(method, index, arguments);
	}

	/**
	 * Chooses the process for a call and waits while none serves: the replica its routing key
	 * names, else the serving replica with the fewest calls in flight.
	 * @param methodIndex the method's index
	 * @param arguments the call's arguments
	 * @return the serving process
	 */
	ProcessConnection route(int methodIndex, Object[] arguments) {
		int key = this.methods.routingKey(methodIndex);
		if (key >= 0) {
			return this.replicas.get(Math.floorMod(Objects.hashCode(arguments[key]), this.replicas.size()))
				.awaitServing();
		}
		if (this.replicas.size() == 1) {
			return this.replicas.get(0).awaitServing();
		}
		ProcessConnection best = leastBusy();
		return (best != null) ? best : awaitAnyServing();
	}

	/**
	 * Scans the serving replicas and takes the one with the fewest calls in flight: with a handful
	 * of replicas a full scan costs less than a call and balances better than sampling two. The
	 * scan starts at a replica chosen by the calling thread, so that among replicas equally busy a
	 * thread keeps calling the same one: a lone caller then finds its replica's thread still
	 * spinning from the previous call and its caches warm, instead of waking each replica in turn,
	 * while threads calling at once spread over the replicas.
	 */
	private ProcessConnection leastBusy() {
		int count = this.replicas.size();
		int start = (int) Math.floorMod(Thread.currentThread().getId(), (long) count);
		ProcessConnection best = null;
		int bestCalls = Integer.MAX_VALUE;
		for (int i = 0; i < count; i++) {
			ProcessConnection candidate = this.replicas.get((start + i) % count).serving();
			if (candidate != null) {
				int inFlight = candidate.inFlight();
				if (inFlight < bestCalls) {
					best = candidate;
					bestCalls = inFlight;
					if (inFlight == 0) {
						break;
					}
				}
			}
		}
		return best;
	}

	/**
	 * Waits until any replica serves, launching those never started; with none on its way (all
	 * failed or stopped), fails as the first replica does.
	 */
	private ProcessConnection awaitAnyServing() {
		Duration patience = this.settings.startupTimeout().plus(this.settings.restart().maxBackoff());
		long deadline = System.nanoTime() + patience.toNanos();
		while (!this.closed) {
			this.replicas.stream().filter((place) -> place.state() == WorkerState.NEW).forEach(Replica::launch);
			synchronized (this) {
				ProcessConnection best = leastBusy();
				if (best != null) {
					return best;
				}
				if (this.replicas.stream().noneMatch((place) -> closeness(place.state()) <= closeness(WorkerState.NEW))) {
					break;
				}
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					throw new WorkerStartupException(this.name, "no replica of worker '" + this.name
							+ "' became ready within " + patience + " (vmworkers.startup-timeout plus the longest back-off)",
							null);
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this, Math.min(remaining, STATE_WAIT_NANOS));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new WorkerStartupException(this.name,
							"interrupted while waiting for worker '" + this.name + "'", ex);
				}
			}
		}
		return this.replicas.get(0).awaitServing();
	}

	/**
	 * Takes a ready spare's process for a replica's place, under this pool's lock; its place starts
	 * another once {@link #replenishSpares()} runs.
	 * @return the spare's process, or null when no spare is ready
	 */
	ProcessConnection takeSpare() {
		for (Replica spare : this.spares) {
			ProcessConnection taken = spare.giveUpSpare();
			if (taken != null) {
				return taken;
			}
		}
		return null;
	}

	/** Starts a process in every spare place that gave its own away. */
	void replenishSpares() {
		for (Replica spare : this.spares) {
			if (spare.state() == WorkerState.NEW && !this.closed) {
				this.scheduler.execute(spare::launch);
			}
		}
	}

	void processReady() {
		for (WorkerObserver observer : this.observers) {
			observer.workerReady(this);
		}
	}

	void processExited(ExitInfo exit) {
		for (WorkerObserver observer : this.observers) {
			observer.workerExited(this, exit);
		}
	}

	/**
	 * Takes over processes launched for this worker before the dispatcher existed, one per place
	 * in order.
	 * @param launches the early launches, made with this worker's settings
	 */
	void adopt(List<Launch> launches) {
		for (int i = 0; i < launches.size(); i++) {
			if (i < this.places.size()) {
				this.places.get(i).adopt(launches.get(i));
			}
			else {
				launches.get(i).discard();
			}
		}
	}

	/** Starts the process of every place not running or starting; returns at once. */
	void launch() {
		this.places.forEach(Replica::launch);
	}

	/**
	 * Waits until every place serves (or, for a spare, is ready), launching them first if nobody has.
	 * @throws WorkerStartupException when one does not become ready in time
	 * @throws ChannelClosedException when the worker has been stopped
	 */
	void awaitReady() {
		launch();
		for (Replica place : this.places) {
			place.awaitServing();
		}
	}

	/**
	 * Describes when the pool's processes started and became ready, for the start-up log.
	 * @return for example {@code pid 4242} or {@code pids [4242, 4243]}
	 */
	String describePids() {
		List<Long> pids = this.places.stream().map(Replica::pid).toList();
		return (pids.size() == 1) ? "pid " + pids.get(0) : "pids " + pids;
	}

	/**
	 * Returns the earliest heartbeat deadline among the places.
	 * @return the time until it, never negative
	 */
	Duration untilHeartbeatDeadline() {
		return this.places.stream()
			.map(Replica::untilHeartbeatDeadline)
			.min(Comparator.naturalOrder())
			.orElse(this.settings.heartbeatTimeout());
	}

	/** Watches every place (see {@link Replica#watch()}) and reports a slow {@code @OnData} handler. */
	void watch() {
		this.channel.reportSlowHandler(this.settings.sendTimeout().toNanos());
		for (Replica place : this.places) {
			place.watch();
		}
	}

	@Override
	public void restart() {
		if (this.places.size() >= 2 && !this.closed && primary().serving() != null) {
			Instant begun = Instant.now();
			for (Replica replica : this.replicas) {
				replica.restart();
			}
			for (Replica spare : this.spares) {
				Instant started = spare.startedAt();
				// A spare that took a replica's place during this restart was replaced by a fresh one,
				// which is new already (or still starting: no start time yet).
				if (started != null && started.isBefore(begun)) {
					spare.restart();
				}
			}
			return;
		}
		close();
		synchronized (this) {
			this.closed = false;
			this.places.forEach(Replica::reopen);
		}
		awaitReady();
	}

	@Override
	public void close() {
		synchronized (this) {
			this.closed = true;
			notifyAll();
		}
		if (this.places.size() == 1) {
			this.places.get(0).close();
		}
		else {
			ParallelStop.all(this.places, (place) -> "vmworkers-stop-" + this.name + "-" + place.index(),
					Replica::close);
		}
		this.channel.stopDelivery();
	}

	@Override
	public String toString() {
		return "Worker[" + this.name + ", state=" + state() + ", " + describePids() + "]";
	}

	/** The channel's view of the pool: where a put goes and who reads. */
	private final class PoolLinks implements ChannelEnd.Links {

		/** Sends to the serving replica with the least data not yet consumed. */
		@Override
		public Link forPut() {
			if (WorkerPool.this.places.size() == 1) {
				return WorkerPool.this.replicas.get(0).awaitServing().link();
			}
			ProcessConnection best = null;
			long bestBacklog = Long.MAX_VALUE;
			for (Replica replica : WorkerPool.this.replicas) {
				ProcessConnection candidate = replica.serving();
				if (candidate != null && candidate.link().unconsumed() < bestBacklog) {
					best = candidate;
					bestBacklog = candidate.link().unconsumed();
				}
			}
			return ((best != null) ? best : awaitAnyServing()).link();
		}

		/** With one process, the reader of its ring; with several, none: each has its receiver. */
		@Override
		public Link reader() {
			return (WorkerPool.this.places.size() == 1) ? WorkerPool.this.replicas.get(0).awaitServing().link()
					: null;
		}

		@Override
		public boolean isOpen() {
			return WorkerPool.this.replicas.stream().anyMatch((replica) -> replica.serving() != null);
		}

		@Override
		public boolean isClosed() {
			return WorkerPool.this.closed || WorkerPool.this.replicas.stream()
				.allMatch((replica) -> replica.state() == WorkerState.FAILED || replica.state() == WorkerState.STOPPED);
		}

	}

}
