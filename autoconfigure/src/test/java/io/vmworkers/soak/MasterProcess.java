package io.vmworkers.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SoakMaster} JVM started by the driver: its output is passed on with a prefix, except the
 * lines meant for the driver (the loaded signal and the {@link MasterReport}).
 */
final class MasterProcess {

	private final Process process;

	private final CompletableFuture<Void> loaded = new CompletableFuture<>();

	private volatile MasterReport report;

	private MasterProcess(Process process) {
		this.process = process;
		Thread reader = new Thread(this::readOutput, "soak-master-output-" + process.pid());
		reader.setDaemon(true);
		reader.start();
	}

	static MasterProcess start(String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx256m");
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(SoakMaster.class.getName());
		command.addAll(List.of(arguments));
		try {
			return new MasterProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not start " + command, ex);
		}
	}

	private void readOutput() {
		try (BufferedReader output = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = output.readLine(); line != null; line = output.readLine()) {
				if (MasterReport.isReport(line)) {
					this.report = MasterReport.parse(line);
				}
				else if (line.equals(SoakMaster.READY_LINE)) {
					this.loaded.complete(null);
				}
				else {
					System.out.println("[master " + this.process.pid() + "] " + line);
				}
			}
		}
		catch (IOException ex) {
			// The master is gone.
		}
		this.loaded.completeExceptionally(new IllegalStateException("master " + pid() + " ended before it was loaded"));
	}

	long pid() {
		return this.process.pid();
	}

	ProcessHandle handle() {
		return this.process.toHandle();
	}

	/**
	 * Waits until the master runs its load.
	 * @param timeout the longest wait
	 * @return whether it does
	 */
	boolean awaitLoaded(Duration timeout) throws InterruptedException {
		try {
			this.loaded.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
			return true;
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException interrupted) {
				throw interrupted;
			}
			return false;
		}
	}

	/**
	 * Waits for the master to exit, killing it after {@code timeout}.
	 * @param timeout the longest wait
	 * @return its exit code, or -1 when it had to be killed
	 */
	int awaitExit(Duration timeout) throws InterruptedException {
		if (this.process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
			// The output reader may still be reading the report.
			TimeUnit.MILLISECONDS.sleep(200);
			return this.process.exitValue();
		}
		System.out.println("master " + pid() + " did not exit within " + timeout + "; killing it");
		kill();
		return -1;
	}

	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor();
	}

	/**
	 * Returns what the master reported.
	 * @return the report, or null when it printed none
	 */
	MasterReport report() {
		return this.report;
	}

}
