package io.vmworkers.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * A bean post-processor that notes, when it is created, which worker processes of this JVM are
 * running. Bean post-processors are created after every bean factory post-processor and before
 * any ordinary bean or the web server.
 */
public final class WorkerProbe implements BeanPostProcessor {

	private final List<Long> workersAtCreation = workers();

	/**
	 * Returns the pids of this JVM's worker processes running when the probe was created.
	 * @return the pids
	 */
	public List<Long> workersAtCreation() {
		return this.workersAtCreation;
	}

	/**
	 * Returns the pids of this JVM's live worker processes.
	 * @return the pids
	 */
	public static List<Long> workers() {
		return ProcessHandle.current()
			.children()
			.filter(ProcessHandle::isAlive)
			.filter(WorkerProbe::runsWorkerMain)
			.map(ProcessHandle::pid)
			.toList();
	}

	/** Reads the command line from /proc: {@code ProcessHandle.Info} has none past 4 KiB. */
	private static boolean runsWorkerMain(ProcessHandle process) {
		try {
			String commandLine = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"),
					StandardCharsets.ISO_8859_1);
			return List.of(commandLine.split("\0")).contains("io.vmworkers.dispatch.worker.WorkerMain");
		}
		catch (IOException ex) {
			return false;
		}
	}

}
