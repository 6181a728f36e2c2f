package io.vmworkers.dispatch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.vmworkers.channel.IdleStrategy;

/**
 * The effective settings of one worker: the global {@code vmworkers.*} values with the worker's
 * {@code vmworkers.workers.<name>.*} overrides applied.
 * @param directory where channel files are created
 * @param capacity bytes per ring (per direction)
 * @param sendTimeout how long a sender waits for room in a full ring
 * @param spin how long a waiting reader spins before it sleeps
 * @param idle how the worker's receiving thread waits for calls and data
 * @param transport what carries the worker's channel
 * @param placement where the worker runs: {@value #PROCESS} (a child process of the master), or
 * the name of a {@code WorkerPlacement} (for example {@code kubernetes})
 * @param jvmOptions JVM options added after the inherited ones
 * @param inheritJvmOptions whether the master's own JVM options are passed on
 * @param startupTimeout how long to wait for the worker to become ready
 * @param shutdownTimeout how long a stopping worker may take before it is terminated
 * @param callTimeout how long a call may take; zero for no limit
 * @param heartbeatTimeout how long without a heartbeat before a worker counts as hung and is killed
 * @param restart when the worker is started again after an unexpected exit
 * @param cpus the CPUs the worker runs on, as {@code taskset -c} takes them, or null for all
 * @param context what the worker's Spring context holds besides its task
 * @param debug whether the worker starts with a debugger port
 */
public record WorkerSettings(Path directory, int capacity, Duration sendTimeout, Duration spin, IdleStrategy idle,
		Transport transport, String placement, List<String> jvmOptions, boolean inheritJvmOptions, Duration startupTimeout, Duration shutdownTimeout, Duration callTimeout, Duration heartbeatTimeout,
		RestartPolicy restart, String cpus, WorkerContext context, DebugSettings debug) {

	/** The placement of a worker that runs as a child process of the master. */
	public static final String PROCESS = "process";

	/**
	 * Returns whether the worker runs as a child process of the master.
	 * @return true for the {@value #PROCESS} placement
	 */
	public boolean local() {
		return PROCESS.equals(this.placement);
	}

	/**
	 * Settings of a worker on shared memory without a debugger port, waiting adaptively.
	 * @param directory where channel files are created
	 * @param capacity bytes per ring (per direction)
	 * @param sendTimeout how long a sender waits for room in a full ring
	 * @param spin how long a waiting reader spins before it sleeps
	 * @param jvmOptions JVM options added after the inherited ones
	 * @param inheritJvmOptions whether the master's own JVM options are passed on
	 * @param startupTimeout how long to wait for the worker to become ready
	 * @param shutdownTimeout how long a stopping worker may take before it is terminated
	 * @param callTimeout how long a call may take; zero for no limit
	 * @param heartbeatTimeout how long without a heartbeat before a worker counts as hung
	 * @param restart when the worker is started again after an unexpected exit
	 * @param cpus the CPUs the worker runs on, or null for all
	 * @param context what the worker's Spring context holds besides its task
	 */
	public WorkerSettings(Path directory, int capacity, Duration sendTimeout, Duration spin, List<String> jvmOptions,
			boolean inheritJvmOptions, Duration startupTimeout, Duration shutdownTimeout, Duration callTimeout,
			Duration heartbeatTimeout, RestartPolicy restart, String cpus, WorkerContext context) {
		this(directory, capacity, sendTimeout, spin, IdleStrategy.ADAPTIVE, Transport.SHM, PROCESS, jvmOptions, inheritJvmOptions,
				startupTimeout, shutdownTimeout, callTimeout, heartbeatTimeout, restart, cpus, context, DebugSettings.OFF);
	}

	/**
	 * Returns these settings with another transport.
	 * @param other the transport
	 * @return the settings
	 */
	public WorkerSettings withTransport(Transport other) {
		return new WorkerSettings(this.directory, this.capacity, this.sendTimeout, this.spin, this.idle, other,
				this.placement, this.jvmOptions, this.inheritJvmOptions, this.startupTimeout, this.shutdownTimeout, this.callTimeout,
				this.heartbeatTimeout, this.restart, this.cpus, this.context, this.debug);
	}

}
