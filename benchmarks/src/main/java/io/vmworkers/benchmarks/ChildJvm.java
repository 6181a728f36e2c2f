package io.vmworkers.benchmarks;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started from this one's class path to run one of the suite's peer programs (an echo end
 * of a reference). Its standard input stays a pipe: the child exits when it reaches end of file
 * ({@link #exitWithParent()}), so it never outlives the suite, even one killed with SIGKILL.
 */
final class ChildJvm implements AutoCloseable {

	private final Process process;

	private ChildJvm(Process process) {
		this.process = process;
	}

	/**
	 * Starts {@code mainClass} in a new JVM with a small heap.
	 * @param mainClass the class to run
	 * @param arguments its arguments
	 * @return the running child
	 * @throws IOException when it cannot be started
	 */
	static ChildJvm start(Class<?> mainClass, String... arguments) throws IOException {
		List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx64m", "-cp",
				System.getProperty("java.class.path"), mainClass.getName()));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.redirectError(ProcessBuilder.Redirect.INHERIT);
		return new ChildJvm(builder.start());
	}

	static String javaExecutable() {
		return ProcessHandle.current()
			.info()
			.command()
			.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
	}

	long pid() {
		return this.process.pid();
	}

	/**
	 * Closes {@code resource} if the child exits first, so that a thread blocked waiting for the
	 * child (in an accept) fails instead of waiting forever.
	 * @param resource what to close
	 */
	void closeOnExit(Closeable resource) {
		this.process.onExit().thenRun(() -> {
			try {
				resource.close();
			}
			catch (IOException ex) {
				// Closing is only to unblock a waiter; the waiter reports the failure.
			}
		});
	}

	/**
	 * Ends the child: end of file on its input first, so that it exits on its own, then a kill.
	 */
	@Override
	public void close() {
		try {
			this.process.getOutputStream().close();
			if (!this.process.waitFor(2, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (IOException ex) {
			this.process.destroyForcibly();
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Called first in a child's {@code main}: halts the child when its parent closes the pipe or dies.
	 */
	static void exitWithParent() {
		Thread watchdog = new Thread(() -> {
			InputStream in = System.in;
			try {
				while (in.read() != -1) {
					// Nothing is sent on the pipe: it only tells when the parent is gone.
				}
			}
			catch (IOException ex) {
				// A broken pipe means the same as end of file.
			}
			Runtime.getRuntime().halt(0);
		}, "parent-watch");
		watchdog.setDaemon(true);
		watchdog.start();
	}

}
