package io.vmworkers.protocol;

/**
 * The system properties and the environment variable through which a master tells a worker JVM it
 * launches who it is, where its channel is and who its master is; read by the worker's main class
 * and configuration.
 */
public final class LaunchParameters {

	/**
	 * The main class of a worker JVM, named rather than referenced: the master launches it without
	 * depending on the worker's code.
	 */
	public static final String MAIN_CLASS = "io.vmworkers.dispatch.worker.WorkerMain";

	public static final String ROLE_PROPERTY = "vmworkers.role";

	public static final String NAME_PROPERTY = "vmworkers.worker.name";

	public static final String SOURCE_PROPERTY = "vmworkers.worker.source";

	/**
	 * The task's class, set for a worker with a task context
	 * ({@link io.vmworkers.dispatch.WorkerContext#TASK}) only.
	 */
	public static final String TASK_CLASS_PROPERTY = "vmworkers.worker.task-class";

	/** The master's auto-configuration packages, comma-separated, for a worker with a task context. */
	public static final String PACKAGES_PROPERTY = "vmworkers.worker.packages";

	public static final String INBOUND_PROPERTY = "vmworkers.worker.inbound";

	public static final String OUTBOUND_PROPERTY = "vmworkers.worker.outbound";

	/** {@code tcp} for a worker whose channel is a TCP connection; absent on shared memory. */
	public static final String TRANSPORT_PROPERTY = "vmworkers.worker.transport";

	/** The address ({@code host:port}) a worker on TCP dials. */
	public static final String MASTER_ADDRESS_PROPERTY = "vmworkers.worker.master-address";

	/** The launch a worker on TCP proves it is, with the secret in {@link #TOKEN_VARIABLE}. */
	public static final String LAUNCH_ID_PROPERTY = "vmworkers.worker.launch-id";

	/**
	 * The SSL bundle ({@code spring.ssl.bundle.*}, defined in the application's configuration) a
	 * worker on TCP connects with; absent for plain TCP.
	 */
	public static final String SSL_BUNDLE_PROPERTY = "vmworkers.worker.ssl-bundle";

	/** The capacity of the rings of a worker on TCP, which has no ring file to read it from. */
	public static final String CAPACITY_PROPERTY = "vmworkers.worker.capacity";

	public static final String SPIN_PROPERTY = "vmworkers.worker.spin-nanos";

	/** How the worker's receiving thread waits: a {@link io.vmworkers.channel.IdleStrategy}'s name. */
	public static final String IDLE_PROPERTY = "vmworkers.worker.idle";

	public static final String SEND_TIMEOUT_PROPERTY = "vmworkers.worker.send-timeout-nanos";

	/**
	 * The master's pid, which a worker on the master's machine watches; absent for a worker placed
	 * elsewhere, which its connection's end stops.
	 */
	public static final String MASTER_PID_PROPERTY = "vmworkers.worker.master-pid";

	/**
	 * The master's start in clock ticks since boot ({@link io.vmworkers.process.ProcessStart}),
	 * absent when unknown: with the master's pid it tells the master from a process that reused its
	 * pid.
	 */
	public static final String MASTER_START_TICKS_PROPERTY = "vmworkers.worker.master-start-ticks";

	/**
	 * Environment variable carrying the worker's secret: presented in its READY frame on shared
	 * memory, proven without being sent on TCP.
	 */
	public static final String TOKEN_VARIABLE = "VMWORKERS_TOKEN";

	private LaunchParameters() {
	}

}
