package io.vmworkers.dispatch;

import java.time.Duration;
import java.time.Instant;

import io.vmworkers.channel.WorkerChannel;

/**
 * One worker JVM as the master sees it: identity, state, channel, statistics and control.
 */
public interface WorkerHandle {

	/**
	 * Returns the worker's name, which is its bean name.
	 * @return the name
	 */
	String name();

	/**
	 * Returns the pid of the current worker process.
	 * @return the pid, or -1 before the first start
	 */
	long pid();

	WorkerState state();

	/**
	 * Returns when the current process was started.
	 * @return the instant, or null before the first start
	 */
	Instant startedAt();

	/**
	 * Returns how many times a process has been started for this worker.
	 * @return the start count
	 */
	int startCount();

	/**
	 * Returns how the last process of this worker ended.
	 * @return the exit, or null when no process has exited yet
	 */
	ExitInfo lastExit();

	/**
	 * Returns the last heartbeat of the current process.
	 * @return the heartbeat, or null before the first one
	 */
	Heartbeat lastHeartbeat();

	/**
	 * Returns when the last heartbeat of the current process arrived, on the wall clock: for
	 * display; see {@link #heartbeatAge()} for its age.
	 * @return the instant, or null before the first one
	 */
	Instant lastHeartbeatAt();

	/**
	 * Returns how long ago the last heartbeat of the current process arrived, measured on the
	 * monotonic clock, so that a step of the wall clock does not change it.
	 * @return the age, or null before the first heartbeat
	 */
	Duration heartbeatAge();

	/**
	 * Returns the master's end of the worker's channel; it stays valid across restarts.
	 * @return the channel
	 */
	WorkerChannel channel();

	/**
	 * Returns counts of what went through the channel since the master started.
	 * @return a snapshot
	 */
	ChannelStatistics statistics();

	/**
	 * Stops the worker (as {@link #close()}) and starts a new process with new channel files,
	 * waiting until it is ready.
	 */
	void restart();

	/**
	 * Stops the worker: asks it to finish, waits {@code vmworkers.shutdown-timeout}, then
	 * terminates and finally kills it, and removes its channel files. Calls in flight fail.
	 */
	void close();

}
