package io.vmworkers.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.vmworkers.channel.WorkerChannel;

/**
 * One worker as the master sees it: identity, state, channel, statistics and control. A worker is
 * a pool of one or more replica processes ({@code vmworkers.workers.<name>.replicas}) and spares;
 * the methods here describe the pool as a whole, with one replica the process itself, and
 * {@link #replicas()} each place in it.
 */
public interface WorkerHandle {

	/**
	 * Returns the worker's name, which is its bean name.
	 * @return the name
	 */
	String name();

	/**
	 * Returns the pid of the first serving replica's process.
	 * @return the pid, or -1 when none serves
	 */
	long pid();

	/**
	 * Returns the port the first serving replica's JVM listens on for a debugger
	 * ({@code vmworkers.workers.<name>.debug.port}).
	 * @return the port, or -1 when the worker runs without one
	 */
	default int debugPort() {
		return -1;
	}

	/**
	 * Returns where the worker's process runs when it is not a child process of this machine's,
	 * for example {@code pod robots-7f3a on node n2}.
	 * @return the location, or null for a local process
	 */
	default String location() {
		return null;
	}

	/**
	 * Returns the pool's state: {@link WorkerState#READY} while at least one replica serves;
	 * otherwise the state of the replica closest to serving.
	 * @return the state
	 */
	WorkerState state();

	/**
	 * Returns the places of this worker's pool: its replicas (index 0 to replicas - 1), then its
	 * spares. With one replica and no spare, one place, described as this handle describes the
	 * worker.
	 * @return the replicas and spares
	 */
	List<? extends ReplicaHandle> replicas();

	/**
	 * Returns when the current process was started.
	 * @return the instant, or null before the first start
	 */
	Instant startedAt();

	/**
	 * Returns how many processes have been started for this worker, all places counted.
	 * @return the start count
	 */
	int startCount();

	/**
	 * Returns how the last process of this worker that exited ended, whichever its place.
	 * @return the exit, or null when no process has exited yet
	 */
	ExitInfo lastExit();

	/**
	 * Returns the last heartbeat of the first serving replica's process.
	 * @return the heartbeat, or null before the first one
	 */
	Heartbeat lastHeartbeat();

	/**
	 * Returns when the last heartbeat of the first serving replica arrived, on the wall clock: for
	 * display; see {@link #heartbeatAge()} for its age.
	 * @return the instant, or null before the first one
	 */
	Instant lastHeartbeatAt();

	/**
	 * Returns how long ago the last heartbeat of the first serving replica arrived, measured on the
	 * monotonic clock, so that a step of the wall clock does not change it.
	 * @return the age, or null before the first heartbeat
	 */
	Duration heartbeatAge();

	/**
	 * Returns the master's end of the worker's channel; it stays valid across restarts. In a pool,
	 * {@code put} goes to the replica with the least data waiting, and {@code next()} and the
	 * {@code @OnData} methods receive from every replica, in order per replica.
	 * @return the channel
	 */
	WorkerChannel channel();

	/**
	 * Returns counts of what went through the channel since the master started, all places summed.
	 * @return a snapshot
	 */
	ChannelStatistics statistics();

	/**
	 * Returns what carries this worker's channel ({@code vmworkers.workers.<name>.transport}).
	 * @return the transport
	 */
	default Transport transport() {
		return Transport.SHM;
	}

	/**
	 * Replaces the worker's processes. A pool of two or more processes is restarted rolling: each
	 * place in turn is replaced as {@link ReplicaHandle#restart()} does, so no call fails. A single
	 * process, or a worker that is stopped or failed, is stopped (as {@link #close()}) and started
	 * again with new channel files. Returns once the worker is ready.
	 */
	void restart();

	/**
	 * Stops the worker, every replica and spare: asks each to finish, waits
	 * {@code vmworkers.shutdown-timeout}, then terminates and finally kills it, and removes its
	 * channel files. Calls in flight fail.
	 */
	void close();

}
