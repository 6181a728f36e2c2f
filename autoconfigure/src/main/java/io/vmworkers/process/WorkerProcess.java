package io.vmworkers.process;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A running worker: its pid, its exit, its last output lines and how to end it. Normally a child
 * JVM ({@link #start}); in in-process mode the worker runs on threads of the master's JVM and
 * implements this with the same meaning, so that the master supervises both alike.
 */
public interface WorkerProcess {

	/** Lines of output kept for error messages. */
	int TAIL_LINES = 40;

	/** The line a JVM started with a JDWP socket prints once it listens, before the address. */
	String DEBUGGER_LISTENING = "Listening for transport dt_socket at address: ";

	/**
	 * Starts a worker process and begins copying its output to the listener.
	 * @param name the worker's name, used in thread names and messages
	 * @param builder the process builder, from {@link WorkerCommand#toProcessBuilder}
	 * @param listener receives every output line
	 * @return the started process
	 * @throws IOException when the process cannot be started
	 */
	static WorkerProcess start(String name, ProcessBuilder builder, OutputListener listener) throws IOException {
		Objects.requireNonNull(listener, "'listener' must not be null");
		ChildProcess worker = new ChildProcess(name, builder.start(), builder.command());
		worker.pumpOutput(listener);
		worker.watchExit();
		return worker;
	}

	String name();

	/** The process id: the master's own for a worker in its JVM. */
	long pid();

	List<String> command();

	boolean isAlive();

	/**
	 * Returns the port the worker's JVM listens on for a debugger.
	 * @return the port, or -1 when it was started without one or has not said it yet
	 */
	default int debugPort() {
		return -1;
	}

	/**
	 * Returns the port the worker's JVM listens on for a debugger, waiting a little for it to
	 * say so when it was started with one: its output is read on a thread of its own.
	 * @param timeout the longest wait
	 * @return the port, or -1 when it has none or has not said it within the timeout
	 */
	default int awaitDebugPort(Duration timeout) {
		return debugPort();
	}

	/**
	 * Returns where the worker runs when it is not a process of this machine.
	 * @return the location (for example a pod and its node), or null for a local process
	 */
	default String location() {
		return null;
	}

	/** Completes when the worker has exited. */
	CompletableFuture<?> onExit();

	/**
	 * Returns the exit code, or -1 while running.
	 * @return the exit code; 128 + n for a process ended by signal n
	 */
	int exitCode();

	/**
	 * Returns the last lines the worker printed, waiting briefly for its output to drain when it
	 * has exited, so that its dying words are included.
	 * @return up to {@value #TAIL_LINES} lines
	 */
	List<String> outputTail();

	/**
	 * Describes how the worker ended, for example {@code exit code 1} or {@code signal 9 (SIGKILL)}.
	 * @return the description, or {@code running}
	 */
	String describeExit();

	/**
	 * Tells the worker that its master is gone (a child JVM's stdin closes).
	 */
	void closeInput();

	/**
	 * Waits for the worker to exit.
	 * @param timeout the longest wait
	 * @return true when it has exited
	 */
	boolean awaitExit(Duration timeout);

	/**
	 * Ends the worker: asks it to exit, then, after {@code grace}, kills it.
	 * @param grace how long to wait for it to exit
	 * @return true when the worker is gone
	 */
	boolean terminate(Duration grace);

	/**
	 * Ends the worker at once, as SIGKILL does.
	 */
	void kill();

	/**
	 * Describes an exit code as the JDK reports it (128 + n for signal n).
	 * @param exitCode the code
	 * @return a description
	 */
	static String describeExitCode(int exitCode) {
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
	 * Returns the port a worker's output line says its JVM listens on for a debugger.
	 * @param line a line the worker printed
	 * @return the port, or -1 when the line does not say
	 */
	static int listeningPort(String line) {
		if (!line.startsWith(DEBUGGER_LISTENING)) {
			return -1;
		}
		String address = line.substring(DEBUGGER_LISTENING.length()).trim();
		try {
			return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	/** Receives the lines a worker prints. */
	@FunctionalInterface
	interface OutputListener {

		/**
		 * Called for each line, from the thread copying that stream.
		 * @param workerName the worker's name
		 * @param error true for stderr
		 * @param line the line, without its terminator
		 */
		void onLine(String workerName, boolean error, String line);

	}

}
