package io.vmworkers.dispatch.inprocess;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.vmworkers.channel.SharedRing;
import io.vmworkers.channel.WorkerChannel;
import io.vmworkers.codec.KryoCodec;
import io.vmworkers.dispatch.WorkerSettings;
import io.vmworkers.dispatch.worker.WorkerRuntime;
import io.vmworkers.process.WorkerProcess;
import io.vmworkers.protocol.Tracing;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * A worker running on a thread of the master's JVM, as a worker process would: its task in a
 * context of its own, a child of the master's (so the task sees the master's beans, as a worker
 * with the application's context sees its own copies), served by the worker's runtime over rings
 * in memory. Ending it ends that context; killing it drops the channel without a word, as SIGKILL
 * does to a process.
 */
final class InProcessWorker implements WorkerProcess {

	private static final Log logger = LogFactory.getLog(InProcessWorker.class);

	/** The exit code of a worker whose start failed, as a worker process reports it. */
	private static final int STARTUP_FAILED = 2;

	/** The exit code of a killed worker, as the JDK reports SIGKILL. */
	private static final int KILLED = 128 + 9;

	private final String name;

	private final Class<?> taskClass;

	private final CompletableFuture<Integer> exit = new CompletableFuture<>();

	private final AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();

	private final WorkerRuntime runtime;

	private volatile List<String> failure = List.of();

	private InProcessWorker(String name, Class<?> taskClass, ConfigurableApplicationContext master, SharedRing in,
			SharedRing out, WorkerSettings settings, KryoCodec codec) {
		this.name = name;
		this.taskClass = taskClass;
		this.runtime = new WorkerRuntime(name, in, out, settings.idle(), settings.sendTimeout(), codec,
				this.context.getBeanFactory());
		// The master's beans and environment, not the master as parent context: a parent would
		// receive this context's events (refreshed, closed) as its own at each start and stop.
		this.context.getBeanFactory().setParentBeanFactory(master.getBeanFactory());
		this.context.setEnvironment(master.getEnvironment());
		this.context.setId(master.getId() + ":" + name);
		this.context.setClassLoader(taskClass.getClassLoader());
		this.context.registerBean(name, taskClass);
		// Primary over the master's own: the task puts to the master and takes what it sends.
		this.context.registerBean(WorkerChannel.class, this.runtime::channel,
				(definition) -> definition.setPrimary(true));
	}

	/**
	 * Starts a worker on a thread of its own; it says READY on the channel once its task exists.
	 * @param name the worker's name
	 * @param taskClass the task's class
	 * @param master the master's context
	 * @param in the worker's end of the ring the master writes
	 * @param out the worker's end of the ring the worker writes
	 * @param settings the worker's settings: how it waits, how long a sender waits for room
	 * @param codec the codec
	 * @param tracing continues the traces calls and data come with
	 * @param token the secret to present
	 * @return the running worker
	 */
	static InProcessWorker start(String name, Class<?> taskClass, ConfigurableApplicationContext master,
			SharedRing in, SharedRing out, WorkerSettings settings, KryoCodec codec, Tracing tracing, String token) {
		InProcessWorker worker = new InProcessWorker(name, taskClass, master, in, out, settings, codec);
		worker.runtime.tracing(tracing);
		Thread thread = new Thread(() -> worker.run(token), "vmworkers-" + name + "-in-process");
		thread.setDaemon(true);
		thread.start();
		return worker;
	}

	private void run(String token) {
		try {
			this.context.refresh();
			this.runtime.start(token);
		}
		catch (Throwable ex) {
			logger.error("Worker '" + this.name + "' (in process) failed to start", ex);
			StringWriter trace = new StringWriter();
			ex.printStackTrace(new PrintWriter(trace));
			this.failure = trace.toString().lines().limit(TAIL_LINES).toList();
			this.runtime.halt();
			closeContext();
			this.exit.complete(STARTUP_FAILED);
			return;
		}
		this.runtime.awaitClose();
		closeContext();
		this.exit.complete(0);
	}

	private void closeContext() {
		try {
			this.context.close();
		}
		catch (RuntimeException ex) {
			logger.warn("Worker '" + this.name + "' (in process): closing its context failed", ex);
		}
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public long pid() {
		return ProcessHandle.current().pid();
	}

	@Override
	public List<String> command() {
		return List.of("in-process", this.taskClass.getName());
	}

	@Override
	public boolean isAlive() {
		return !this.exit.isDone();
	}

	@Override
	public CompletableFuture<?> onExit() {
		return this.exit;
	}

	@Override
	public int exitCode() {
		return this.exit.getNow(-1);
	}

	@Override
	public List<String> outputTail() {
		return this.failure;
	}

	@Override
	public String describeExit() {
		return isAlive() ? "running" : WorkerProcess.describeExitCode(exitCode());
	}

	@Override
	public void closeInput() {
		// A worker process takes its closed stdin for its master's end; this one ends with the context.
	}

	@Override
	public boolean awaitExit(Duration timeout) {
		try {
			this.exit.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return !isAlive();
		}
		catch (ExecutionException | TimeoutException ex) {
			return !isAlive();
		}
	}

	@Override
	public boolean terminate(Duration grace) {
		// As SIGTERM does to a worker process: it says it is closing, then ends.
		this.runtime.announceExit();
		this.runtime.halt();
		if (!awaitExit(grace)) {
			kill();
		}
		return true;
	}

	@Override
	public void kill() {
		this.runtime.halt();
		// On a thread of its own, as a child JVM's exit is reported: not the caller's (the master's
		// exit handling runs there), and not the common pool's, which blocked tasks can hold.
		Thread reporter = new Thread(() -> this.exit.complete(KILLED), "vmworkers-" + this.name + "-killed");
		reporter.setDaemon(true);
		reporter.start();
	}

	@Override
	public String toString() {
		return "worker '" + this.name + "' in process " + pid();
	}

}
