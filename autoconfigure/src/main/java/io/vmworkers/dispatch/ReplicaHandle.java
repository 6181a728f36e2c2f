package io.vmworkers.dispatch;

import java.time.Duration;
import java.time.Instant;

import io.vmworkers.channel.WorkerChannel;

/**
 * One place in a worker's pool, as the master sees it: a replica serving calls, or a spare kept
 * ready to take a replica's place. The place stays while the processes in it change (a restart, a
 * recycling, a spare taking over).
 */
public interface ReplicaHandle {

	/**
	 * Returns the place's index in its pool: replicas first (0 to replicas - 1), then spares.
	 * @return the index
	 */
	int index();

	/**
	 * Returns what the place is for.
	 * @return replica or spare
	 */
	ReplicaRole role();

	/**
	 * Returns the pid of the process in this place.
	 * @return the pid, or -1 when none has started
	 */
	long pid();

	/**
	 * Returns the port this place's process listens on for a debugger.
	 * @return the port, or -1 when it runs without one
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

	WorkerState state();

	/**
	 * Returns when the current process was started.
	 * @return the instant, or null before the first start
	 */
	Instant startedAt();

	/**
	 * Returns how many processes have been started for this place (a spare that took it over
	 * counts once, where it was started).
	 * @return the start count
	 */
	int startCount();

	/**
	 * Returns how the last process that left this place ended.
	 * @return the exit, or null when none has exited
	 */
	ExitInfo lastExit();

	/**
	 * Returns why the last process of this place was recycled.
	 * @return the recycling, or null when none was
	 */
	RecycleInfo lastRecycle();

	/**
	 * Returns the last heartbeat of the current process.
	 * @return the heartbeat, or null before the first one
	 */
	Heartbeat lastHeartbeat();

	/**
	 * Returns how long ago the current process's last heartbeat arrived, on the monotonic clock.
	 * @return the age, or null before the first heartbeat
	 */
	Duration heartbeatAge();

	/**
	 * Returns calls sent to this place's process and not yet answered.
	 * @return the count
	 */
	int callsInFlight();

	/**
	 * Returns the channel to this place's process only: what is put goes to it, {@code next()}
	 * and {@code poll()} take only what it put. For a broadcast, put to every replica's channel.
	 * @return the channel
	 */
	WorkerChannel channel();

	/**
	 * Returns counts of what went through this place's channels since the master started.
	 * @return a snapshot
	 */
	ChannelStatistics statistics();

	/**
	 * Replaces the process in this place without losing a call: a new process is started (or a
	 * spare taken), new calls go to it once it is ready, the calls in flight finish on the old
	 * process, which is then stopped. Returns once the old process is stopped.
	 */
	void restart();

}
