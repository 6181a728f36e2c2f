package io.vmworkers.channel;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of channel files, and the removal of files left by masters that died.
 * <p>
 * A name says who made it: {@code vmworkers-<pid>-<start>-<worker>-<random>.<m2w|w2m>}, with the
 * master's pid and start time (epoch milliseconds), so that a later run can prove the owner dead
 * (no such pid, or a pid reused by a process that started at another time) before deleting. Files
 * of a master that is alive are never touched. 128 random bits make the name unguessable.
 */
public final class ChannelFiles {

	/** Suffix of the ring the master writes. */
	public static final String TO_WORKER = ".m2w";

	/** Suffix of the ring the worker writes. */
	public static final String FROM_WORKER = ".w2m";

	private static final Pattern NAME = Pattern.compile("vmworkers-(\\d+)-(\\d+)-.+\\.(m2w|w2m)");

	private static final SecureRandom RANDOM = new SecureRandom();

	private ChannelFiles() {
	}

	/**
	 * Returns a new, unguessable base name for a worker's two files.
	 * @param master the master process
	 * @param workerName the worker's name
	 * @return the base name, to which {@link #TO_WORKER} or {@link #FROM_WORKER} is appended
	 */
	public static String newBaseName(ProcessHandle master, String workerName) {
		return "vmworkers-" + master.pid() + "-" + startMillis(master).orElse(0L) + "-" + workerName + "-" + newToken();
	}

	/**
	 * Returns a new secret of 128 random bits, in hex.
	 * @return the token
	 */
	public static String newToken() {
		byte[] random = new byte[16];
		RANDOM.nextBytes(random);
		return HexFormat.of().formatHex(random);
	}

	private static Optional<Long> startMillis(ProcessHandle process) {
		return process.info().startInstant().map(Instant::toEpochMilli);
	}

	/**
	 * Deletes the channel files in a directory whose master is provably dead.
	 * @param directory the channel directory
	 * @return the files deleted
	 * @throws IOException when the directory cannot be listed
	 */
	public static List<Path> removeStale(Path directory) throws IOException {
		List<Path> removed = new ArrayList<>();
		if (!Files.isDirectory(directory)) {
			return removed;
		}
		try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "vmworkers-*")) {
			for (Path file : files) {
				Matcher name = NAME.matcher(file.getFileName().toString());
				if (name.matches() && isDead(Long.parseLong(name.group(1)), Long.parseLong(name.group(2)))
						&& Files.deleteIfExists(file)) {
					removed.add(file);
				}
			}
		}
		return removed;
	}

	static boolean isDead(long pid, long startMillis) {
		Optional<ProcessHandle> process = ProcessHandle.of(pid);
		if (process.isEmpty() || !process.get().isAlive()) {
			return true;
		}
		Optional<Long> start = startMillis(process.get());
		// Unknown start times prove nothing: keep the file.
		return start.isPresent() && startMillis != 0 && start.get() != startMillis;
	}

}
