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
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A running worker JVM: its pid, its output (each line passed to a listener and the last lines
 * kept for error messages), its exit, and how to terminate it.
 */
public final class WorkerProcess {

	/** Lines of output kept for error messages. */
	static final int TAIL_LINES = 40;

	private final String name;

	private final Process process;

	private final List<String> command;

	private final Deque<String> tail = new ArrayDeque<>();

	private final List<Thread> pumps = new ArrayList<>(2);

	private WorkerProcess(String name, Process process, List<String> command) {
		this.name = name;
		this.process = process;
		this.command = List.copyOf(command);
	}

	/**
	 * Starts a worker process and begins copying its output to the listener.
	 * @param name the worker's name, used in thread names and messages
	 * @param builder the process builder, from {@link WorkerCommand#toProcessBuilder}
	 * @param listener receives every output line
	 * @return the started process
	 * @throws IOException when the process cannot be started
	 */
	public static WorkerProcess start(String name, ProcessBuilder builder, OutputListener listener)
			throws IOException {
		Objects.requireNonNull(listener, "'listener' must not be null");
		WorkerProcess worker = new WorkerProcess(name, builder.start(), builder.command());
		worker.pump(worker.process.getInputStream(), false, listener);
		worker.pump(worker.process.getErrorStream(), true, listener);
		return worker;
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

	public String name() {
		return this.name;
	}

	public long pid() {
		return this.process.pid();
	}

	public List<String> command() {
		return this.command;
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	public CompletableFuture<Process> onExit() {
		return this.process.onExit();
	}

	/**
	 * Returns the exit code, or -1 while running.
	 * @return the exit code; 128 + n for a process ended by signal n
	 */
	public int exitCode() {
		return this.process.isAlive() ? -1 : this.process.exitValue();
	}

	/**
	 * Returns the last lines the process printed, waiting briefly for the output pipes to drain
	 * when the process has exited, so that its dying words are included.
	 * @return up to {@value #TAIL_LINES} lines
	 */
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
	public String describeExit() {
		return this.process.isAlive() ? "running" : describeExitCode(this.process.exitValue());
	}

	/**
	 * Describes an exit code as the JDK reports it (128 + n for signal n).
	 * @param exitCode the code
	 * @return a description
	 */
	public static String describeExitCode(int exitCode) {
		if (exitCode > 128 && exitCode < 128 + 65) {
			int signal = exitCode - 128;
			String name = switch (signal) {
				case 1 -> "SIGHUP";
				case 2 -> "SIGINT";
				case 3 -> "SIGQUIT";
				case 4 -> "SIGILL";
				case 6 -> "SIGABRT";
				case 7 -> "SIGBUS";
				case 8 -> "SIGFPE";
				case 9 -> "SIGKILL";
				case 11 -> "SIGSEGV";
				case 13 -> "SIGPIPE";
				case 15 -> "SIGTERM";
				default -> "signal";
			};
			return "exit code " + exitCode + " (" + name + ", signal " + signal + ")";
		}
		return "exit code " + exitCode;
	}

	/**
	 * Closes the worker's stdin: a worker takes end-of-file as its master's end and exits.
	 */
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
	public void kill() {
		kill(this.process.descendants().toList());
	}

	private void kill(List<ProcessHandle> descendants) {
		this.process.destroyForcibly();
		descendants.forEach(ProcessHandle::destroyForcibly);
	}

	/** Receives the lines a worker prints. */
	@FunctionalInterface
	public interface OutputListener {

		/**
		 * Called for each line, from the thread copying that stream.
		 * @param workerName the worker's name
		 * @param error true for stderr
		 * @param line the line, without its terminator
		 */
		void onLine(String workerName, boolean error, String line);

	}

}
