package io.vmworkers.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.vmworkers.channel.ChannelFiles;

/**
 * What the masters in this JVM left behind: worker processes still alive among its descendants,
 * and its run directories with their channel files.
 * @param processes the worker processes still running
 * @param files the run directories and channel files still there
 */
public record WorkerLeftovers(List<ProcessHandle> processes, List<Path> files) {

	/** Where channel files are created unless {@code vmworkers.channel.directory} says otherwise. */
	public static final Path DEFAULT_DIRECTORY = Path.of("/dev/shm");

	private static final String WORKER_ROLE = "vmworkers.role=worker";

	/**
	 * Looks for leftovers now.
	 * @param channelDirectory the channel directory the masters used
	 * @return what is left
	 */
	public static WorkerLeftovers find(Path channelDirectory) {
		List<ProcessHandle> processes = ProcessHandle.current()
			.descendants()
			.filter(ProcessHandle::isAlive)
			.filter((process) -> process.info().commandLine().orElse("").contains(WORKER_ROLE))
			.toList();
		String prefix = ChannelFiles.runDirectory(channelDirectory, ProcessHandle.current())
			.getFileName()
			.toString();
		// The run directory's name also holds the master's start time; a JVM has one start time.
		String pidPrefix = prefix.substring(0, prefix.lastIndexOf('-') + 1);
		List<Path> files = new ArrayList<>();
		for (Path directory : list(channelDirectory)) {
			if (directory.getFileName().toString().startsWith(pidPrefix)) {
				files.add(directory);
				files.addAll(list(directory));
			}
		}
		return new WorkerLeftovers(processes, List.copyOf(files));
	}

	/**
	 * Waits until nothing is left, for a context that is still closing.
	 * @param channelDirectory the channel directory the masters used
	 * @param timeout the longest wait
	 * @return what is left after the wait: empty unless something stayed
	 */
	public static WorkerLeftovers awaitNone(Path channelDirectory, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		WorkerLeftovers left = find(channelDirectory);
		while (!left.isEmpty() && System.nanoTime() - deadline < 0) {
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			left = find(channelDirectory);
		}
		return left;
	}

	/**
	 * Fails unless nothing is left in the default channel directory within 10 seconds.
	 * @throws AssertionError naming what is left
	 */
	public static void assertNothingLeftBehind() {
		WorkerLeftovers left = awaitNone(DEFAULT_DIRECTORY, Duration.ofSeconds(10));
		if (!left.isEmpty()) {
			throw new AssertionError(left.describe());
		}
	}

	public boolean isEmpty() {
		return this.processes.isEmpty() && this.files.isEmpty();
	}

	/**
	 * Describes what is left, and the usual reason.
	 * @return the description
	 */
	public String describe() {
		StringBuilder text = new StringBuilder("vmworkers left behind:");
		this.processes.forEach((process) -> text.append(System.lineSeparator())
			.append("  worker process ")
			.append(process.pid())
			.append(": ")
			.append(process.info().commandLine().orElse("?")));
		this.files.forEach((file) -> text.append(System.lineSeparator()).append("  ").append(file));
		text.append(System.lineSeparator())
			.append("A worker lives as long as its master's application context: close the context the test started,"
					+ " or for a @SpringBootTest add @DirtiesContext, since Spring keeps a test's context open in its"
					+ " cache for later tests.");
		return text.toString();
	}

	private static List<Path> list(Path directory) {
		if (!Files.isDirectory(directory)) {
			return List.of();
		}
		try (Stream<Path> entries = Files.list(directory)) {
			return entries.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot list " + directory, ex);
		}
	}

}
