package io.vmworkers.dispatch.master;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.vmworkers.dispatch.WorkerContext;
import io.vmworkers.dispatch.WorkerSettings;
import io.vmworkers.process.ClassDataSharing;
import io.vmworkers.process.JvmEnvironment;
import io.vmworkers.process.ProcessStart;
import io.vmworkers.process.WorkerCommand;
import io.vmworkers.process.WorkerProcess;
import io.vmworkers.protocol.LaunchParameters;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Starts worker JVMs running the same application in the worker role, through
 * {@link io.vmworkers.dispatch.worker.WorkerMain}.
 */
final class WorkerLauncher implements WorkerStarter {

	private static final Log logger = LogFactory.getLog(WorkerLauncher.class);

	private final LaunchPlan plan;

	private final WorkerProcess.OutputListener outputListener;

	private volatile boolean offReported;

	private volatile Supplier<Map<String, String>> environment = Map::of;

	private volatile Map<String, WorkerPlacement> placements = Map.of();

	/**
	 * Creates a launcher.
	 * @param plan the application class, task classes, packages, arguments, profiles and warm
	 * start workers are launched with
	 * @param outputListener receives the workers' output lines
	 */
	WorkerLauncher(LaunchPlan plan, WorkerProcess.OutputListener outputListener) {
		this.plan = plan;
		this.outputListener = outputListener;
	}

	/**
	 * Sets the variables each worker gets in its environment besides the master's own.
	 * @param environment returns them, at each launch
	 */
	void environment(Supplier<Map<String, String>> environment) {
		this.environment = environment;
	}

	/** Where workers on the TCP transport connect to. */
	TcpWorkerListener tcp() {
		return this.plan.tcp();
	}

	private String taskClass(String name) {
		LaunchPlan.Worker worker = this.plan.workers().get(name);
		if (worker == null) {
			throw new IllegalStateException("no @WorkerTask class is known for worker '" + name + "'");
		}
		return worker.taskClass().getName();
	}

	/**
	 * Builds the command of a worker without starting it.
	 * @param name the worker's name
	 * @param settings its settings
	 * @param channel the system properties that tell the worker where its channel is
	 * @return the command and how it uses class data sharing
	 */
	Prepared command(String name, WorkerSettings settings, Map<String, String> channel) {
		return command(name, settings, channel, true);
	}

	/**
	 * Builds the command of a worker, for this machine or for another running this application's
	 * image: that one gets the same java, options and class path, but no CPU pinning, class data
	 * sharing archive or master pid, which belong to this machine.
	 */
	private Prepared command(String name, WorkerSettings settings, Map<String, String> channel, boolean local) {
		// The worker runs on this JVM's java: the same release.
		List<String> jvmOptions = new ArrayList<>(JvmEnvironment.libraryAccessOptions(Runtime.version().feature()));
		jvmOptions.addAll(JvmEnvironment.quietOptions());
		if (settings.inheritJvmOptions()) {
			jvmOptions.addAll(JvmEnvironment.inheritedJvmOptions());
		}
		jvmOptions.addAll(settings.jvmOptions());
		if (settings.debug().enabled()) {
			// Before the class data sharing plan, which must see the agent: a JVM writing an archive
			// refuses to start with one.
			jvmOptions.add(settings.debug().jvmOption());
		}
		String javaExecutable = JvmEnvironment.javaExecutable();
		String classPath = System.getProperty("java.class.path");
		Optional<Path> bootJar = JvmEnvironment.bootJar(classPath);
		ClassDataSharing.Plan sharing = null;
		ClassDataSharing classDataSharing = local ? this.plan.classDataSharing() : null;
		if (classDataSharing != null) {
			String reason = null;
			if (bootJar.isPresent()) {
				ClassDataSharing.Extracted extracted = classDataSharing.extract(javaExecutable, bootJar.get());
				if (extracted.fresh()) {
					logger.info("Extracted " + bootJar.get().getFileName() + " into "
							+ extracted.applicationJar().getParent() + " for the workers' class data sharing");
				}
				if (extracted.jar().isPresent()) {
					classPath = extracted.applicationJar().toString();
					bootJar = Optional.empty();
				}
				else {
					reason = extracted.reason();
				}
			}
			if (reason == null) {
				List<String> keyed = new ArrayList<>(jvmOptions);
				if (settings.cpus() != null) {
					// Fewer CPUs change the JVM's ergonomic choices (its GC among them).
					keyed.add("cpus=" + settings.cpus());
				}
				if (settings.context() == WorkerContext.TASK) {
					// A task context loads a small part of the application's classes: an archive of its own.
					keyed.add("context=task");
				}
				sharing = classDataSharing.plan(classPath, keyed);
				jvmOptions.addAll(sharing.jvmOptions());
				// Another worker writing the archive is no reason to tell: the next starts share it.
				reason = sharing.lasting() ? sharing.reason() : null;
			}
			if (reason != null && !this.offReported) {
				this.offReported = true;
				logger.info("Workers start without class data sharing: " + reason + " (vmworkers.cds.enabled)");
			}
		}
		ProcessHandle self = ProcessHandle.current();
		WorkerCommand.Builder builder = WorkerCommand.builder()
			.javaExecutable(javaExecutable)
			.cpus(local ? settings.cpus() : null)
			.jvmOptions(jvmOptions)
			.systemProperty(LaunchParameters.ROLE_PROPERTY, "worker")
			.systemProperty(LaunchParameters.NAME_PROPERTY, name)
			.systemProperty(LaunchParameters.SOURCE_PROPERTY, this.plan.applicationClass())
			.systemProperty(LaunchParameters.SPIN_PROPERTY, Long.toString(settings.spin().toNanos()))
			.systemProperty(LaunchParameters.IDLE_PROPERTY, settings.idle().name())
			.systemProperty(LaunchParameters.SEND_TIMEOUT_PROPERTY, Long.toString(settings.sendTimeout().toNanos()))
			.mainClass(LaunchParameters.MAIN_CLASS)
			.arguments(this.plan.arguments());
		channel.forEach(builder::systemProperty);
		if (local) {
			// A worker on this machine watches its master's process; one elsewhere, its connection.
			builder.systemProperty(LaunchParameters.MASTER_PID_PROPERTY, Long.toString(self.pid()));
			ProcessStart.ticks(self.pid())
				.ifPresent((start) -> builder.systemProperty(LaunchParameters.MASTER_START_TICKS_PROPERTY,
						Long.toString(start)));
		}
		if (settings.context() == WorkerContext.TASK) {
			builder.systemProperty(LaunchParameters.TASK_CLASS_PROPERTY, taskClass(name));
			builder.systemProperty(LaunchParameters.PACKAGES_PROPERTY, String.join(",", this.plan.packages()));
		}
		if (!this.plan.activeProfiles().isEmpty() && System.getProperty("spring.profiles.active") == null) {
			builder.systemProperty("spring.profiles.active", String.join(",", this.plan.activeProfiles()));
		}
		if (bootJar.isPresent()) {
			builder.bootJar(bootJar.get());
		}
		else {
			builder.classPath(classPath);
		}
		return new Prepared(builder.build(), sharing);
	}

	/**
	 * Creates the worker's channel and starts its JVM.
	 */
	@Override
	public Launch start(String name, WorkerSettings settings) throws IOException {
		return Launch.start(name, -1, settings, this);
	}

	@Override
	public Launch start(String name, int place, WorkerSettings settings) throws IOException {
		return Launch.start(name, place, settings, this);
	}

	/**
	 * A worker's command before it starts.
	 * @param command the command
	 * @param sharing how it uses class data sharing, or null when the warm start is disabled
	 */
	record Prepared(WorkerCommand command, ClassDataSharing.Plan sharing) {
	}

	/**
	 * Starts a worker.
	 * @param name the worker's name
	 * @param settings its settings
	 * @param channel the system properties that tell the worker where its channel is
	 * @param token the worker's secret, passed in its environment
	 * @return the process and the argument file to delete once it is running, if one was needed
	 * @throws IOException when the process cannot be started
	 */
	Launched launch(String name, WorkerSettings settings, Map<String, String> channel, String token)
			throws IOException {
		Prepared prepared = command(name, settings, channel);
		WorkerCommand command = prepared.command();
		Path argumentFile = null;
		if (command.needsArgumentFile()) {
			argumentFile = Files.createTempFile("vmworkers-" + name + "-", ".args",
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			Files.writeString(argumentFile, command.argumentFileContent(), StandardCharsets.UTF_8);
		}
		try {
			ProcessBuilder builder = command.toProcessBuilder(argumentFile);
			// In the environment, not on the command line, which every user can read.
			builder.environment().putAll(this.environment.get());
			builder.environment().put(LaunchParameters.TOKEN_VARIABLE, token);
			if (logger.isDebugEnabled()) {
				logger.debug("Launching worker '" + name + "' (class data sharing: "
						+ ((prepared.sharing() != null) ? prepared.sharing() : "disabled") + "): "
						+ String.join(" ", builder.command()));
			}
			WorkerProcess.OutputListener listener = settings.debug().enabled()
					? announcingDebugPort(settings.debug().suspend()) : this.outputListener;
			return new Launched(WorkerProcess.start(name, builder, listener), argumentFile, prepared.sharing());
		}
		catch (IOException | RuntimeException ex) {
			if (argumentFile != null) {
				Files.deleteIfExists(argumentFile);
			}
			if (prepared.sharing() != null) {
				prepared.sharing().finish(-1);
			}
			throw ex;
		}
	}

	/**
	 * Starts a worker through a placement: the command a local worker would run, with the
	 * channel's settings as system properties and its address and identity in the environment.
	 * @param placement where it runs
	 * @param name the worker's name
	 * @param settings its settings
	 * @param channel the system properties that tell the worker how to connect
	 * @param place the index of its place in the pool, or -1 when not known (launched early)
	 * @param launchId the launch's id
	 * @param token the launch's secret
	 * @param masterPort the port the master listens on for workers
	 * @return the worker
	 * @throws IOException when the placement cannot start it
	 */
	Launched launchElsewhere(WorkerPlacement placement, String name, int place, WorkerSettings settings,
			Map<String, String> channel, String launchId, String token, int masterPort) throws IOException {
		List<String> command = command(name, settings, channel, false).command().command(null);
		Map<String, String> environment = new LinkedHashMap<>(this.environment.get());
		environment.put(RemoteLaunch.LAUNCH_ID_VARIABLE, launchId);
		if (logger.isDebugEnabled()) {
			logger.debug("Placing worker '" + name + "' on " + placement.name() + ": " + String.join(" ", command));
		}
		RemoteLaunch launch = new RemoteLaunch(launchId, place, command, environment, token, masterPort);
		return new Launched(placement.start(name, settings, launch), null, null);
	}

	/**
	 * Returns the placement a worker placed elsewhere runs on.
	 * @param settings the worker's settings
	 * @return the placement
	 * @throws IllegalStateException when no module gives one of that name
	 */
	WorkerPlacement placement(WorkerSettings settings) {
		WorkerPlacement placement = this.placements.get(settings.placement());
		if (placement == null) {
			throw new IllegalStateException("placement '" + settings.placement() + "' is not known"
					+ (this.placements.isEmpty() ? "" : " (known: " + this.placements.keySet() + ")")
					+ "; 'process' runs a worker as a child process, 'kubernetes' needs the vmworkers-kubernetes module"
					+ " on the class path");
		}
		return placement;
	}

	/**
	 * Sets the placements that start workers elsewhere.
	 * @param placements the placements, by name
	 */
	void placements(Map<String, WorkerPlacement> placements) {
		this.placements = Map.copyOf(placements);
	}

	/**
	 * Passes the output on, and tells how to attach a debugger once the worker's JVM listens (it
	 * says so again each time a debugger leaves).
	 */
	private WorkerProcess.OutputListener announcingDebugPort(boolean suspended) {
		AtomicBoolean announced = new AtomicBoolean();
		return (worker, error, line) -> {
			int port = error ? -1 : WorkerProcess.listeningPort(line);
			if (port >= 0 && announced.compareAndSet(false, true)) {
				logger.info("Worker '" + worker + "' listens for a debugger on 127.0.0.1:" + port
						+ (suspended ? " and waits for one before it starts" : "")
						+ ": attach a remote JVM debugger (IntelliJ IDEA: Remote JVM Debug; VS Code: \"request\": \"attach\")"
						+ " to localhost:" + port);
			}
			this.outputListener.onLine(worker, error, line);
		};
	}

	/**
	 * A started worker process.
	 * @param process the process
	 * @param argumentFile the class path argument file, or null
	 * @param sharing how it uses class data sharing, or null
	 */
	record Launched(WorkerProcess process, Path argumentFile, ClassDataSharing.Plan sharing) {

		/**
		 * Publishes or discards the archive a training worker wrote, once the process has exited.
		 * Only a worker that became ready has loaded what its successors need.
		 * @param workerName the worker's name, for the log
		 * @param wasReady whether the process became ready
		 */
		void finishSharing(String workerName, boolean wasReady) {
			if (this.sharing == null || this.process.isAlive()) {
				return;
			}
			if (this.sharing.finish(wasReady ? this.process.exitCode() : -1)) {
				logger.info("Worker '" + workerName + "' wrote the class data sharing archive "
						+ this.sharing.archive() + "; the next workers start from it");
			}
		}

		void deleteArgumentFile() {
			if (this.argumentFile != null) {
				try {
					Files.deleteIfExists(this.argumentFile);
				}
				catch (IOException ex) {
					// A temporary file: the system's cleaning will get it.
				}
			}
		}

	}

}
