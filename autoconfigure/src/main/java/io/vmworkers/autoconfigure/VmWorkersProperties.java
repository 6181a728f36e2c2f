package io.vmworkers.autoconfigure;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.net.ServerSocketFactory;
import javax.net.ssl.SSLContext;

import io.vmworkers.channel.IdleStrategy;
import io.vmworkers.dispatch.DebugSettings;
import io.vmworkers.dispatch.PoolSettings;
import io.vmworkers.dispatch.RestartPolicy;
import io.vmworkers.dispatch.Transport;
import io.vmworkers.dispatch.WorkerContext;
import io.vmworkers.dispatch.WorkerSettings;
import io.vmworkers.dispatch.master.TcpWorkerListener;
import io.vmworkers.process.ClassDataSharing;
import io.vmworkers.process.WorkerCommand;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of vmworkers. Every worker setting can be overridden for one worker under
 * {@code vmworkers.workers.<name>.*}, where the name is the {@code @WorkerTask} bean's name.
 */
@ConfigurationProperties(VmWorkersProperties.PREFIX)
public class VmWorkersProperties {

	/** Prefix of these properties. */
	static final String PREFIX = "vmworkers";

	/** The start-up and heartbeat timeouts of a worker being debugged: a year. */
	static final Duration DEBUGGER_PATIENCE = Duration.ofDays(365);

	/**
	 * Role of this JVM. A vmworkers master sets 'worker' on the JVMs it starts; leave it unset.
	 */
	private Role role = Role.MASTER;

	/**
	 * Where the workers run: 'process' (each in a JVM of its own) or 'in-process' (on threads of
	 * the master's JVM, through the same channel, codec and allow-list; for tests).
	 */
	private Mode mode = Mode.PROCESS;

	private final Channel channel = new Channel();

	private final Serialization serialization = new Serialization();

	private final Cds cds = new Cds();

	private final Traces tracing = new Traces();

	private final TransportProperties transport = new TransportProperties();

	/**
	 * JVM options for every worker, after the master's own, separated by commas (for example
	 * -Xmx256m,-XX:+UseZGC).
	 */
	private List<String> jvmOptions = new ArrayList<>();

	/**
	 * Whether workers get the master's JVM options (debug agents and JMX remote options are never
	 * passed on).
	 */
	private boolean inheritJvmOptions = true;

	/**
	 * How long to wait for a worker to become ready; start-up fails after that.
	 */
	private Duration startupTimeout = Duration.ofSeconds(60);

	/**
	 * How long a stopping worker may take before it is terminated (SIGTERM, then SIGKILL).
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(10);

	/**
	 * Longest time a call to a worker method may take; 0 for no limit. A worker that dies fails
	 * its calls at once either way.
	 */
	private Duration callTimeout = Duration.ZERO;

	/**
	 * How long a worker may go without a heartbeat (sent every 250ms) before it counts as hung and
	 * is killed, then handled as a crash.
	 */
	private Duration heartbeatTimeout = Duration.ofSeconds(1);

	private final Restart restart = new Restart();

	/**
	 * CPUs every worker runs on, as 'taskset -c' takes them (for example 1 or 2-3); unset for all.
	 * Pinning a noisy worker away from the master's CPU keeps its garbage collection and work off
	 * the master's threads.
	 */
	private String cpus;

	/**
	 * What every worker's Spring context holds: 'application' (the whole application, lazily) or
	 * 'task' (only the task's class, vmworkers' worker beans and the configuration: faster to start,
	 * for a task that needs no other bean of the application).
	 */
	private WorkerContext context = WorkerContext.APPLICATION;

	/**
	 * Per-worker overrides, by worker (bean) name.
	 */
	private Map<String, Worker> workers = new LinkedHashMap<>();

	public Role getRole() {
		return this.role;
	}

	public void setRole(Role role) {
		this.role = role;
	}

	public Mode getMode() {
		return this.mode;
	}

	public void setMode(Mode mode) {
		this.mode = mode;
	}

	public TransportProperties getTransport() {
		return this.transport;
	}

	public Channel getChannel() {
		return this.channel;
	}

	public Traces getTracing() {
		return this.tracing;
	}

	public Cds getCds() {
		return this.cds;
	}

	public Serialization getSerialization() {
		return this.serialization;
	}

	public List<String> getJvmOptions() {
		return this.jvmOptions;
	}

	public void setJvmOptions(List<String> jvmOptions) {
		this.jvmOptions = jvmOptions;
	}

	public boolean isInheritJvmOptions() {
		return this.inheritJvmOptions;
	}

	public void setInheritJvmOptions(boolean inheritJvmOptions) {
		this.inheritJvmOptions = inheritJvmOptions;
	}

	public Duration getStartupTimeout() {
		return this.startupTimeout;
	}

	public void setStartupTimeout(Duration startupTimeout) {
		this.startupTimeout = startupTimeout;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Duration getCallTimeout() {
		return this.callTimeout;
	}

	public void setCallTimeout(Duration callTimeout) {
		this.callTimeout = callTimeout;
	}

	public Duration getHeartbeatTimeout() {
		return this.heartbeatTimeout;
	}

	public String getCpus() {
		return this.cpus;
	}

	public void setCpus(String cpus) {
		this.cpus = cpus;
	}

	public WorkerContext getContext() {
		return this.context;
	}

	public void setContext(WorkerContext context) {
		this.context = context;
	}

	public void setHeartbeatTimeout(Duration heartbeatTimeout) {
		this.heartbeatTimeout = heartbeatTimeout;
	}

	public Restart getRestart() {
		return this.restart;
	}

	public Map<String, Worker> getWorkers() {
		return this.workers;
	}

	public void setWorkers(Map<String, Worker> workers) {
		this.workers = workers;
	}

	/**
	 * Returns the workers' warm start as configured under {@code vmworkers.cds}.
	 * @return the class data sharing cache, or null when it is disabled
	 */
	ClassDataSharing classDataSharing() {
		return this.cds.isEnabled() ? new ClassDataSharing(this.cds.getDirectory()) : null;
	}

	/**
	 * Returns the master's listener for workers on the TCP transport, as configured under
	 * {@code vmworkers.transport.tcp}; it listens from the first such launch on.
	 * @param bundles the application's SSL bundles, or null when it has none
	 * @param workersElsewhere whether a worker is placed on another machine, which needs an address
	 * other than the loopback one
	 * @return the listener
	 * @throws IllegalArgumentException when the port is out of range or the SSL bundle does not exist
	 */
	TcpWorkerListener tcpWorkerListener(SslBundles bundles, boolean workersElsewhere) {
		Tcp tcp = this.transport.getTcp();
		if (tcp.getPort() < 0 || tcp.getPort() > 65535) {
			throw new IllegalArgumentException("vmworkers.transport.tcp.port must be between 0 (a free port) and 65535,"
					+ " not " + tcp.getPort());
		}
		String bundle = tcp.getSsl().getBundle();
		ServerSocketFactory sockets = (bundle != null)
				? sslContext(bundles, bundle, "vmworkers.transport.tcp.ssl.bundle").getServerSocketFactory()
				: ServerSocketFactory.getDefault();
		InetAddress bind = (tcp.getBind() != null) ? tcp.getBind()
				: workersElsewhere ? anyAddress() : InetAddress.getLoopbackAddress();
		return new TcpWorkerListener(bind, tcp.getPort(), sockets, bundle);
	}

	private static InetAddress anyAddress() {
		try {
			return InetAddress.getByAddress(new byte[4]);
		}
		catch (java.net.UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Returns the TLS context of an SSL bundle, naming the property that asked for it when there is
	 * no such bundle.
	 * @param bundles the application's SSL bundles, or null when it has none
	 * @param name the bundle's name
	 * @param property the property that names it
	 * @return the context
	 */
	static SSLContext sslContext(SslBundles bundles, String name, String property) {
		try {
			if (bundles == null) {
				throw new NoSuchSslBundleException(name, "no SSL bundles are defined");
			}
			return bundles.getBundle(name).createSslContext();
		}
		catch (NoSuchSslBundleException ex) {
			throw new IllegalArgumentException(property + "=" + name + " names no SSL bundle (" + ex.getMessage()
					+ "); define it under spring.ssl.bundle.pem." + name + " or spring.ssl.bundle.jks." + name, ex);
		}
	}

	/**
	 * Returns the effective settings of a worker: these properties with its overrides applied,
	 * checked. Per-worker JVM options come after the global ones. The master's launch plan asks for
	 * each worker's settings once, at start-up; everything later reads them from there.
	 * @param name the worker's name
	 * @return the settings
	 * @throws IllegalArgumentException when a JVM option, CPU list or value is malformed or out of
	 * range, naming the property
	 */
	public WorkerSettings settingsFor(String name) {
		Worker override = overrideFor(name);
		WorkerChannelOverride channelOverride = override.getChannel();
		this.jvmOptions.forEach((option) -> WorkerCommand.checkJvmOption(option, "vmworkers.jvm-options"));
		List<String> options = new ArrayList<>(this.jvmOptions);
		if (override.getJvmOptions() != null) {
			override.getJvmOptions()
				.forEach((option) -> WorkerCommand.checkJvmOption(option, "vmworkers.workers." + name + ".jvm-options"));
			options.addAll(override.getJvmOptions());
		}
		DataSize capacity = orDefault(channelOverride.getCapacity(), this.channel.getCapacity());
		if (capacity.toBytes() > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("vmworkers channel capacity too large: " + capacity);
		}
		DebugSettings debug = override.getDebug().toSettings(name);
		// A worker stopped at a breakpoint sends no heartbeat, and with suspend waits for its
		// debugger before it starts: neither is a hang to kill it for.
		Duration startupTimeout = debug.suspend() ? DEBUGGER_PATIENCE
				: orDefault(override.getStartupTimeout(), this.startupTimeout);
		Duration heartbeatTimeout = debug.enabled() ? DEBUGGER_PATIENCE
				: orDefault(override.getHeartbeatTimeout(), this.heartbeatTimeout);
		return new WorkerSettings(this.channel.getDirectory(), (int) capacity.toBytes(),
				orDefault(channelOverride.getSendTimeout(), this.channel.getSendTimeout()),
				orDefault(channelOverride.getSpin(), this.channel.getSpin()), override.getIdle(), transport(name, override),
				override.getPlacement(), List.copyOf(options),
				orDefault(override.getInheritJvmOptions(), this.inheritJvmOptions), startupTimeout,
				orDefault(override.getShutdownTimeout(), this.shutdownTimeout),
				orDefault(override.getCallTimeout(), this.callTimeout), heartbeatTimeout,
				this.restart.merge(override.getRestart()).toPolicy(), cpus(name, override),
				orDefault(override.getContext(), this.context), debug);
	}

	/**
	 * Returns a worker's transport: TCP for a worker placed elsewhere, which cannot map this
	 * machine's shared memory; shared memory by default for a child process.
	 */
	private static Transport transport(String name, Worker override) {
		boolean local = WorkerSettings.PROCESS.equals(override.getPlacement());
		if (!local && override.getTransport() == Transport.SHM) {
			throw new IllegalArgumentException("vmworkers.workers." + name + ".transport=shm: a worker with placement '"
					+ override.getPlacement() + "' cannot map this machine's shared memory; remove the setting (it uses tcp)");
		}
		return (override.getTransport() != null) ? override.getTransport() : (local ? Transport.SHM : Transport.TCP);
	}

	/**
	 * Returns the overrides of one worker: the entry named exactly as the worker, or else the one
	 * entry whose name matches it but for case, dashes and underscores, as an environment variable
	 * ({@code VMWORKERS_WORKERS_COUNTINGTASK_REPLICAS}) names it.
	 * @param name the worker's name
	 * @return its overrides, empty when it has none
	 */
	private Worker overrideFor(String name) {
		Worker exact = this.workers.get(name);
		if (exact != null) {
			return exact;
		}
		return this.workers.entrySet()
			.stream()
			.filter((entry) -> looseName(entry.getKey()).equals(looseName(name)))
			.map(Map.Entry::getValue)
			.findFirst()
			.orElseGet(Worker::new);
	}

	/**
	 * Returns a worker's name as relaxed binding compares it: lower case, without dashes and
	 * underscores.
	 * @param name a name
	 * @return its loose form
	 */
	static String looseName(String name) {
		return name.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
	}

	/**
	 * Returns the shape of a worker's pool.
	 * @param name the worker's name
	 * @param annotatedReplicas the replicas its {@code @WorkerTask} asks for
	 * @return the pool's settings
	 * @throws IllegalArgumentException when a count or limit is out of range, naming the property
	 */
	public PoolSettings poolFor(String name, int annotatedReplicas) {
		Worker override = overrideFor(name);
		String prefix = "vmworkers.workers." + name + ".";
		int replicas = (override.getReplicas() != null) ? override.getReplicas() : annotatedReplicas;
		if (replicas < 1) {
			throw new IllegalArgumentException(prefix + "replicas must be at least 1, not " + replicas
					+ ((override.getReplicas() != null) ? "" : " (from @WorkerTask(replicas))"));
		}
		if (override.getSpares() < 0) {
			throw new IllegalArgumentException(prefix + "spares cannot be negative: " + override.getSpares());
		}
		Integer debugPort = override.getDebug().getPort();
		if (debugPort != null && debugPort > 0 && replicas + override.getSpares() > 1) {
			throw new IllegalArgumentException(prefix + "debug.port=" + debugPort + " cannot serve "
					+ (replicas + override.getSpares()) + " processes (replicas and spares): set it to 0, which gives"
					+ " each process a free port of its own");
		}
		if (debugPort != null && debugPort > 0 && override.getRecycle().toPolicy().enabled()) {
			throw new IllegalArgumentException(prefix + "debug.port=" + debugPort + " cannot serve a recycled worker,"
					+ " whose replacement starts while the process it replaces still holds the port: set it to 0, or"
					+ " leave " + prefix + "recycle.* unset while debugging");
		}
		try {
			return new PoolSettings(replicas, override.getSpares(), override.getRecycle().toPolicy());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(prefix + "recycle.*: " + ex.getMessage(), ex);
		}
	}

	private String cpus(String name, Worker override) {
		String cpus = (override.getCpus() != null) ? override.getCpus() : this.cpus;
		if (cpus == null || cpus.isBlank()) {
			return null;
		}
		WorkerCommand.checkCpuList(cpus.strip(), (override.getCpus() != null) ? "vmworkers.workers." + name + ".cpus"
				: "vmworkers.cpus");
		return cpus.strip();
	}

	private static <T> T orDefault(T value, T fallback) {
		return (value != null) ? value : fallback;
	}

	/** The two roles of an application's JVMs. */
	public enum Role {

		/** Starts a worker per {@code @WorkerTask} bean. */
		MASTER,

		/** Runs one {@code @WorkerTask} bean for a master. */
		WORKER

	}

	/** Where the workers run. */
	public enum Mode {

		/** Each worker in a JVM of its own, started by the master. */
		PROCESS,

		/**
		 * Each worker on threads of the master's JVM, its task in a child context of the master's,
		 * reached over rings in memory: the same dispatch, codec and allow-list, no process.
		 */
		IN_PROCESS

	}

	/** What restarting does after a worker exits unexpectedly. */
	public enum RestartMode {

		/** Start the worker again, with back-off, up to the intensity limit. */
		ON_FAILURE,

		/** Leave the worker failed. */
		NEVER

	}

	/** Traces across the channel. */
	public static class Traces {

		/**
		 * Whether calls and data carry the trace they are made in to the workers and back, as
		 * observations (client and server, producer and consumer) when the application traces
		 * with Micrometer Tracing (Brave or OpenTelemetry). Without a tracer nothing is traced.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/** A worker's debugger port. */
	public static class Debug {

		/**
		 * Port on the loopback interface the worker's JVM listens on for a debugger (JDWP); 0
		 * picks a free port, reported in the log, by WorkerHandle.debugPort() and the endpoint.
		 * While set, the worker's heartbeat timeout is off: a breakpoint stops its heartbeats.
		 */
		private Integer port;

		/**
		 * Whether the worker waits for a debugger to attach before it runs; its start-up timeout
		 * is off meanwhile.
		 */
		private boolean suspend;

		public Integer getPort() {
			return this.port;
		}

		public void setPort(Integer port) {
			this.port = port;
		}

		public boolean isSuspend() {
			return this.suspend;
		}

		public void setSuspend(boolean suspend) {
			this.suspend = suspend;
		}

		DebugSettings toSettings(String name) {
			if (this.port == null) {
				if (this.suspend) {
					throw new IllegalArgumentException("vmworkers.workers." + name
							+ ".debug.suspend=true needs vmworkers.workers." + name + ".debug.port (0 picks a free port)");
				}
				return DebugSettings.OFF;
			}
			if (this.port < 0 || this.port > 65535) {
				throw new IllegalArgumentException("vmworkers.workers." + name + ".debug.port=" + this.port
						+ " is not a port: use 0 to pick a free port, or 1-65535");
			}
			return new DebugSettings(this.port, this.suspend);
		}

	}

	/** Restart policy of workers; unset values (per worker) take the global ones. */
	public static class Restart {

		/**
		 * Whether a worker that exits unexpectedly is started again.
		 */
		private RestartMode mode;

		/**
		 * Delay before the first restart; it doubles with each restart in the window.
		 */
		private Duration initialBackoff;

		/**
		 * Longest delay between restarts.
		 */
		private Duration maxBackoff;

		/**
		 * Restarts allowed within the window; one more and the worker is left failed.
		 */
		private Integer maxRestarts;

		/**
		 * Period over which restarts are counted.
		 */
		private Duration window;

		/**
		 * Fraction (0 to 1) by which each delay varies at random.
		 */
		private Double jitter;

		static Restart defaults() {
			Restart restart = new Restart();
			RestartPolicy policy = RestartPolicy.DEFAULT;
			restart.mode = RestartMode.ON_FAILURE;
			restart.initialBackoff = policy.initialBackoff();
			restart.maxBackoff = policy.maxBackoff();
			restart.maxRestarts = policy.maxRestarts();
			restart.window = policy.window();
			restart.jitter = policy.jitter();
			return restart;
		}

		Restart merge(Restart override) {
			Restart merged = new Restart();
			Restart defaults = defaults();
			merged.mode = first(override.mode, this.mode, defaults.mode);
			merged.initialBackoff = first(override.initialBackoff, this.initialBackoff, defaults.initialBackoff);
			merged.maxBackoff = first(override.maxBackoff, this.maxBackoff, defaults.maxBackoff);
			merged.maxRestarts = first(override.maxRestarts, this.maxRestarts, defaults.maxRestarts);
			merged.window = first(override.window, this.window, defaults.window);
			merged.jitter = first(override.jitter, this.jitter, defaults.jitter);
			return merged;
		}

		RestartPolicy toPolicy() {
			if (this.mode == RestartMode.NEVER) {
				return RestartPolicy.NEVER;
			}
			if (this.jitter < 0 || this.jitter > 1) {
				throw new IllegalArgumentException("vmworkers restart jitter must be between 0 and 1, jitter=" + this.jitter);
			}
			return new RestartPolicy(true, this.initialBackoff, this.maxBackoff, this.maxRestarts, this.window,
					this.jitter);
		}

		@SafeVarargs
		private static <T> T first(T... values) {
			for (T value : values) {
				if (value != null) {
					return value;
				}
			}
			return null;
		}

		public RestartMode getMode() {
			return this.mode;
		}

		public void setMode(RestartMode mode) {
			this.mode = mode;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public Integer getMaxRestarts() {
			return this.maxRestarts;
		}

		public void setMaxRestarts(Integer maxRestarts) {
			this.maxRestarts = maxRestarts;
		}

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = window;
		}

		public Double getJitter() {
			return this.jitter;
		}

		public void setJitter(Double jitter) {
			this.jitter = jitter;
		}

	}

	/** Shared-memory channel settings. */
	public static class Channel {

		/**
		 * Directory of the channel files; a tmpfs such as /dev/shm keeps them in memory.
		 */
		private Path directory = Path.of("/dev/shm");

		/**
		 * Size of each ring (one per direction); a power of two, at least 4KB.
		 */
		private DataSize capacity = DataSize.ofKilobytes(512);

		/**
		 * How long a put waits, in all, for the other side to take what it holds unread (four
		 * rings' worth) and for room in the ring before failing with ChannelFullException.
		 */
		private Duration sendTimeout = Duration.ofSeconds(10);

		/**
		 * How long a waiting reader spins before it sleeps; longer lowers latency and costs CPU.
		 */
		private Duration spin = Duration.ofNanos(50_000);

		/**
		 * Largest serialized message; larger ones are refused at the sender.
		 */
		private DataSize maxMessageSize = DataSize.ofMegabytes(64);

		public Path getDirectory() {
			return this.directory;
		}

		public void setDirectory(Path directory) {
			this.directory = directory;
		}

		public DataSize getCapacity() {
			return this.capacity;
		}

		public void setCapacity(DataSize capacity) {
			this.capacity = capacity;
		}

		public Duration getSendTimeout() {
			return this.sendTimeout;
		}

		public void setSendTimeout(Duration sendTimeout) {
			this.sendTimeout = sendTimeout;
		}

		public Duration getSpin() {
			return this.spin;
		}

		public DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(DataSize maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
		}

		public void setSpin(Duration spin) {
			this.spin = spin;
		}

	}

	/** What may cross a channel. */
	public static class Serialization {

		/**
		 * Packages (with their subpackages) whose classes may cross a channel, besides the
		 * application's own packages and JDK value types.
		 */
		private List<String> allowedPackages = new ArrayList<>();

		public List<String> getAllowedPackages() {
			return this.allowedPackages;
		}

		public void setAllowedPackages(List<String> allowedPackages) {
			this.allowedPackages = allowedPackages;
		}

	}

	/** Warm start of worker JVMs with class data sharing. */
	public static class Cds {

		/**
		 * Whether workers start from a class data sharing archive: the first worker of a class
		 * path writes it when it exits, later ones map it and start faster. Needs the
		 * application on jars (an executable jar is extracted once); a class path with directories
		 * runs without.
		 */
		private boolean enabled = true;

		/**
		 * Where archives and extracted executable jars are kept; must be this user's own (mode
		 * 0700). The newest four of each are kept.
		 */
		private Path directory = Path.of(System.getProperty("user.home"), ".cache", "vmworkers", "cds");

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Path getDirectory() {
			return this.directory;
		}

		public void setDirectory(Path directory) {
			this.directory = directory;
		}

	}

	/** The transports' settings. */
	public static class TransportProperties {

		private final Tcp tcp = new Tcp();

		public Tcp getTcp() {
			return this.tcp;
		}

	}

	/** How workers on the TCP transport ({@code vmworkers.workers.<name>.transport=tcp}) reach the master. */
	public static class Tcp {

		/**
		 * Address the master listens on for workers on the TCP transport: by default the loopback
		 * address (workers on this machine only), or all addresses when a worker is placed
		 * elsewhere (a Kubernetes pod).
		 */
		private InetAddress bind;

		/**
		 * Port the master listens on for workers on the TCP transport; 0 for a free one, shown on
		 * the vmworkers endpoint.
		 */
		private int port;

		private final Ssl ssl = new Ssl();

		public Ssl getSsl() {
			return this.ssl;
		}

		public InetAddress getBind() {
			return this.bind;
		}

		public void setBind(InetAddress bind) {
			this.bind = bind;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

	}

	/** TLS for the workers' TCP connections. */
	public static class Ssl {

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.*) that encrypts the workers' TCP connections:
		 * the master presents the bundle's key, and each worker checks it against the bundle's trust
		 * store. Unset for plain TCP (fine on the loopback address).
		 */
		private String bundle;

		public String getBundle() {
			return this.bundle;
		}

		public void setBundle(String bundle) {
			this.bundle = bundle;
		}

	}

	/** Settings of one worker; unset values take the global ones. */
	public static class Worker {

		/**
		 * JVM options for this worker, after the global ones, separated by commas.
		 */
		private List<String> jvmOptions;

		/**
		 * CPUs this worker runs on, as 'taskset -c' takes them (for example 1 or 2-3).
		 */
		private String cpus;

		/**
		 * What this worker's Spring context holds: 'application' or 'task'.
		 */
		private WorkerContext context;

		/**
		 * How this worker waits for calls and data: 'adaptive' spins for the channel's spin time
		 * after traffic, then sleeps (at once while calls keep coming long after such a spin);
		 * 'spin' and 'yield' never sleep (a core for the lowest latency); 'sleep' never spins (a
		 * wake-up for each call that finds the worker idle).
		 */
		private IdleStrategy idle = IdleStrategy.ADAPTIVE;

		/**
		 * What carries this worker's channel: 'shm' (two rings in the shared-memory directory; the
		 * default for a child process) or 'tcp' (one connection the worker dials to the master's
		 * vmworkers.transport.tcp address; the default, and the only choice, for a worker placed
		 * elsewhere).
		 */
		private Transport transport;

		/**
		 * Where this worker runs: 'process' (a child process of the master) or 'kubernetes' (a pod
		 * of its own, with the vmworkers-kubernetes module; always on the TCP transport).
		 */
		private String placement = WorkerSettings.PROCESS;

		private final Debug debug = new Debug();

		public String getPlacement() {
			return this.placement;
		}

		public void setPlacement(String placement) {
			this.placement = placement;
		}

		public Transport getTransport() {
			return this.transport;
		}

		public void setTransport(Transport transport) {
			this.transport = transport;
		}

		public IdleStrategy getIdle() {
			return this.idle;
		}

		public void setIdle(IdleStrategy idle) {
			this.idle = idle;
		}

		public Debug getDebug() {
			return this.debug;
		}

		public String getCpus() {
			return this.cpus;
		}

		public void setCpus(String cpus) {
			this.cpus = cpus;
		}

		public WorkerContext getContext() {
			return this.context;
		}

		public void setContext(WorkerContext context) {
			this.context = context;
		}

		/**
		 * Whether this worker gets the master's JVM options.
		 */
		private Boolean inheritJvmOptions;

		/**
		 * How long to wait for this worker to become ready.
		 */
		private Duration startupTimeout;

		/**
		 * How long this worker may take to stop before it is terminated.
		 */
		private Duration shutdownTimeout;

		/**
		 * Longest time a call to this worker may take; 0 for no limit.
		 */
		private Duration callTimeout;

		/**
		 * How long this worker may go without a heartbeat before it is killed as hung.
		 */
		private Duration heartbeatTimeout;

		/**
		 * How many processes serve this worker, each with its own channel; defaults to its
		 * '@WorkerTask(replicas)', else 1.
		 */
		private Integer replicas;

		/**
		 * How many more processes are started and kept ready, serving nothing, to take a replica's
		 * place at once when it dies or is recycled.
		 */
		private int spares;

		private final Restart restart = new Restart();

		private final Recycle recycle = new Recycle();

		private final WorkerChannelOverride channel = new WorkerChannelOverride();

		public Integer getReplicas() {
			return this.replicas;
		}

		public void setReplicas(Integer replicas) {
			this.replicas = replicas;
		}

		public int getSpares() {
			return this.spares;
		}

		public void setSpares(int spares) {
			this.spares = spares;
		}

		public Recycle getRecycle() {
			return this.recycle;
		}

		public List<String> getJvmOptions() {
			return this.jvmOptions;
		}

		public void setJvmOptions(List<String> jvmOptions) {
			this.jvmOptions = jvmOptions;
		}

		public Boolean getInheritJvmOptions() {
			return this.inheritJvmOptions;
		}

		public void setInheritJvmOptions(Boolean inheritJvmOptions) {
			this.inheritJvmOptions = inheritJvmOptions;
		}

		public Duration getStartupTimeout() {
			return this.startupTimeout;
		}

		public void setStartupTimeout(Duration startupTimeout) {
			this.startupTimeout = startupTimeout;
		}

		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

		public Duration getCallTimeout() {
			return this.callTimeout;
		}

		public void setCallTimeout(Duration callTimeout) {
			this.callTimeout = callTimeout;
		}

		public Duration getHeartbeatTimeout() {
			return this.heartbeatTimeout;
		}

		public void setHeartbeatTimeout(Duration heartbeatTimeout) {
			this.heartbeatTimeout = heartbeatTimeout;
		}

		public Restart getRestart() {
			return this.restart;
		}

		public WorkerChannelOverride getChannel() {
			return this.channel;
		}

	}

	/**
	 * When a healthy process of a worker is replaced: a replacement starts (or a spare takes
	 * over), new calls go to it, the old process finishes its calls and stops. Unset limits are off.
	 */
	public static class Recycle {

		/**
		 * Calls one process answers before it is replaced.
		 */
		private Long maxCalls;

		/**
		 * Heap in use after a collection, as the process's heartbeat reports it, above which it is replaced.
		 */
		private DataSize maxHeapUsed;

		/**
		 * Time since a process became ready after which it is replaced.
		 */
		private Duration maxAge;

		public Long getMaxCalls() {
			return this.maxCalls;
		}

		public void setMaxCalls(Long maxCalls) {
			this.maxCalls = maxCalls;
		}

		public DataSize getMaxHeapUsed() {
			return this.maxHeapUsed;
		}

		public void setMaxHeapUsed(DataSize maxHeapUsed) {
			this.maxHeapUsed = maxHeapUsed;
		}

		public Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(Duration maxAge) {
			this.maxAge = maxAge;
		}

		PoolSettings.Recycle toPolicy() {
			return new PoolSettings.Recycle((this.maxCalls != null) ? this.maxCalls : 0,
					(this.maxHeapUsed != null) ? this.maxHeapUsed.toBytes() : 0,
					(this.maxAge != null) ? this.maxAge : Duration.ZERO);
		}

	}

	/** Channel settings of one worker; unset values take the global ones. */
	public static class WorkerChannelOverride {

		/**
		 * Size of each of this worker's rings.
		 */
		private DataSize capacity;

		/**
		 * How long a put to this worker waits, in all, for it to take what it holds unread and for room in the ring.
		 */
		private Duration sendTimeout;

		/**
		 * How long this worker's waiting readers spin before they sleep.
		 */
		private Duration spin;

		public DataSize getCapacity() {
			return this.capacity;
		}

		public void setCapacity(DataSize capacity) {
			this.capacity = capacity;
		}

		public Duration getSendTimeout() {
			return this.sendTimeout;
		}

		public void setSendTimeout(Duration sendTimeout) {
			this.sendTimeout = sendTimeout;
		}

		public Duration getSpin() {
			return this.spin;
		}

		public void setSpin(Duration spin) {
			this.spin = spin;
		}

	}

}
