package io.vmworkers.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A worker JVM started as a child process: its output (each line passed to a listener and the
 * last {@value WorkerProcess#TAIL_LINES} lines kept for error messages), its exit, and how to
 * terminate it with signals.
 */
final class ChildProcess implements WorkerProcess {

	private final String name;

	private final Process process;

	private final List<String> command;

	private final Deque<String> tail = new ArrayDeque<>();

	private final List<Thread> pumps = new ArrayList<>(2);

	private volatile int debugPort = -1;

	/** Completed with the debugger port once the JVM says it listens. */
	private final CompletableFuture<Integer> listening = new CompletableFuture<>();

	private final CompletableFuture<Process> exit = new CompletableFuture<>();

	/** A thread's stack for the exit watch, which only waits. */
	private static final long WATCH_STACK_BYTES = 256 * 1024;

	ChildProcess(String name, Process process, List<String> command) {
		this.name = name;
		this.process = process;
		this.command = List.copyOf(command);
	}

	private void pump(InputStream stream, boolean error, OutputListener listener) {
		Thread thread = new Thread(() -> {
			try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
				String line;
				while ((line = reader.readLine()) != null) {
					synchronized (this.tail) {
						if (this.tail.size() == TAIL_LINES) {
							this.tail.removeFirst();
						}
						this.tail.addLast(line);
					}
					if (!error && this.debugPort < 0) {
						this.debugPort = WorkerProcess.listeningPort(line);
						if (this.debugPort >= 0) {
							this.listening.complete(this.debugPort);
						}
					}
					listener.onLine(this.name, error, line);
				}
			}
			catch (IOException ex) {
				// The pipe closes when the process dies: nothing more to copy.
			}
		}, "vmworkers-" + this.name + (error ? "-stderr" : "-stdout"));
		thread.setDaemon(true);
		thread.start();
		this.pumps.add(thread);
	}

	/** Begins copying the process's output to the listener. */
	void pumpOutput(OutputListener listener) {
		pump(this.process.getInputStream(), false, listener);
		pump(this.process.getErrorStream(), true, listener);
	}

	/**
	 * Begins watching for the process's exit on a thread of its own. Not through
	 * {@link Process#onExit()}: the JDK completes that on the common fork-join pool, which tasks
	 * blocked there (a call to this very worker made from a parallel stream or an async task) can
	 * hold until the exit is noticed late or never.
	 */
	void watchExit() {
		Thread watch = new Thread(null, () -> {
			while (true) {
				try {
					this.process.waitFor();
					break;
				}
				catch (InterruptedException ex) {
					// Only the exit ends this thread.
				}
			}
			this.exit.complete(this.process);
		}, "vmworkers-" + this.name + "-exit", WATCH_STACK_BYTES);
		watch.setDaemon(true);
		watch.start();
	}

	@Override
	public int debugPort() {
		return this.debugPort;
	}

	@Override
	public int awaitDebugPort(Duration timeout) {
		if (this.debugPort < 0 && this.process.isAlive()) {
			try {
				this.listening.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException | TimeoutException ex) {
				// Not said in time: reported as none.
			}
		}
		return this.debugPort;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public long pid() {
		return this.process.pid();
	}

	@Override
	public List<String> command() {
		return this.command;
	}

	@Override
	public boolean isAlive() {
		return this.process.isAlive();
	}

	@Override
	public CompletableFuture<?> onExit() {
		return this.exit;
	}

	/**
	 * Returns the exit code, or -1 while running.
	 * @return the exit code; 128 + n for a process ended by signal n
	 */
	@Override
	public int exitCode() {
		return this.process.isAlive() ? -1 : this.process.exitValue();
	}

	/**
	 * Returns the last lines the process printed, waiting briefly for the output pipes to drain
	 * when the process has exited, so that its dying words are included.
	 * @return up to {@value #TAIL_LINES} lines
	 */
	@Override
	public List<String> outputTail() {
		if (!this.process.isAlive()) {
			for (Thread pump : this.pumps) {
				try {
					pump.join(500);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					break;
				}
			}
		}
		synchronized (this.tail) {
			return List.copyOf(this.tail);
		}
	}

	/**
	 * Describes how the process ended, for example {@code exit code 1} or {@code signal 9 (SIGKILL)}.
	 * @return the description, or {@code running}
	 */
	@Override
	public String describeExit() {
		return this.process.isAlive() ? "running" : WorkerProcess.describeExitCode(this.process.exitValue());
	}

	/**
	 * Closes the worker's stdin: a worker takes end-of-file as its master's end and exits.
	 */
	@Override
	public void closeInput() {
		try {
			OutputStream input = this.process.getOutputStream();
			input.close();
		}
		catch (IOException ex) {
			// Already closed or the process is gone: the signal has been given either way.
		}
	}

	/**
	 * Waits for the process to exit.
	 * @param timeout the longest wait
	 * @return true when it has exited
	 */
	@Override
	public boolean awaitExit(Duration timeout) {
		try {
			return this.process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return !this.process.isAlive();
		}
	}

	/**
	 * Ends the process: SIGTERM to it and its descendants, then, after {@code grace}, SIGKILL.
	 * @param grace how long to wait after SIGTERM
	 * @return true when the process is gone
	 */
	@Override
	public boolean terminate(Duration grace) {
		List<ProcessHandle> descendants = this.process.descendants().toList();
		this.process.destroy();
		descendants.forEach(ProcessHandle::destroy);
		if (!awaitExit(grace)) {
			kill(descendants);
			return awaitExit(Duration.ofSeconds(5));
		}
		descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
		return true;
	}

	/**
	 * Kills the process and its descendants with SIGKILL at once.
	 */
	@Override
	public void kill() {
		kill(this.process.descendants().toList());
	}

	private void kill(List<ProcessHandle> descendants) {
		this.process.destroyForcibly();
		descendants.forEach(ProcessHandle::destroyForcibly);
	}

}
