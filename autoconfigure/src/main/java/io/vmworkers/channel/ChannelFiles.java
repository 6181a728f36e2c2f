package io.vmworkers.channel;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where channel files live, and the removal of those left by masters that died.
 * <p>
 * Each master keeps its channel files in a run directory of its own, mode 0700:
 * {@code <channel directory>/vmworkers-<pid>-<start>/<worker>-<random>.<m2w|w2m>}. The master's
 * pid and start time (epoch milliseconds) let a later run prove the owner dead (no such pid, or a
 * pid reused by a process that started at another time) before deleting; directories of a master
 * that is alive are never touched. A run directory that exists but is not this user's private
 * directory (another user's, a symbolic link, a file, other permissions) is refused: start-up fails
 * closed. 128 random bits make file names unguessable.
 */
public final class ChannelFiles {

	/** Suffix of the ring the master writes. */
	public static final String TO_WORKER = ".m2w";

	/** Suffix of the ring the worker writes. */
	public static final String FROM_WORKER = ".w2m";

	private static final Pattern RUN_DIRECTORY = Pattern.compile("vmworkers-(\\d+)-(\\d+)");

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

	private static final SecureRandom RANDOM = new SecureRandom();

	private ChannelFiles() {
	}

	/**
	 * Returns the run directory of a master.
	 * @param channelDirectory the channel directory, such as /dev/shm
	 * @param master the master process
	 * @return the run directory (not created)
	 */
	public static Path runDirectory(Path channelDirectory, ProcessHandle master) {
		return channelDirectory.resolve("vmworkers-" + master.pid() + "-" + startMillis(master).orElse(0L));
	}

	/**
	 * Creates a run directory with mode 0700, or accepts it when it already is this user's private
	 * directory (an earlier context of the same master made it).
	 * @param runDirectory the directory
	 * @throws ChannelDirectoryException when the path is taken by something else
	 */
	public static void createRunDirectory(Path runDirectory) {
		try {
			Files.createDirectory(runDirectory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
			// The umask may have removed bits, never added: set exactly 0700 anyway.
			Files.setPosixFilePermissions(runDirectory, OWNER_ONLY);
			return;
		}
		catch (FileAlreadyExistsException ex) {
			checkPrivate(runDirectory);
		}
		catch (IOException ex) {
			throw new ChannelDirectoryException(runDirectory,
					"cannot create channel run directory " + runDirectory + ": " + ex.getMessage());
		}
	}

	private static void checkPrivate(Path runDirectory) {
		try {
			PosixFileAttributes attributes = Files.readAttributes(runDirectory, PosixFileAttributes.class,
					LinkOption.NOFOLLOW_LINKS);
			String me = System.getProperty("user.name");
			if (!attributes.isDirectory() || !attributes.permissions().equals(OWNER_ONLY)
					|| !attributes.owner().getName().equals(me)) {
				throw new ChannelDirectoryException(runDirectory, "channel run directory " + runDirectory
						+ " exists and is not this user's private directory (directory=" + attributes.isDirectory()
						+ ", owner=" + attributes.owner().getName() + ", mode="
						+ PosixFilePermissions.toString(attributes.permissions()) + "); another process or user created it");
			}
		}
		catch (IOException ex) {
			throw new ChannelDirectoryException(runDirectory,
					"cannot inspect channel run directory " + runDirectory + ": " + ex.getMessage());
		}
	}

	/**
	 * Returns a new, unguessable base name for a worker's two files.
	 * @param workerName the worker's name
	 * @return the base name, to which {@link #TO_WORKER} or {@link #FROM_WORKER} is appended
	 */
	public static String newBaseName(String workerName) {
		return workerName + "-" + newToken();
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

	/**
	 * Deletes a run directory when it is empty; another worker's files keep it.
	 * @param runDirectory the directory
	 */
	public static void deleteIfEmpty(Path runDirectory) {
		try {
			Files.deleteIfExists(runDirectory);
		}
		catch (DirectoryNotEmptyException ex) {
			// Other workers of the same master still have their files there.
		}
		catch (IOException ex) {
			// Left for the next run's clean-up, which checks that its owner is dead.
		}
	}

	private static Optional<Long> startMillis(ProcessHandle process) {
		return process.info().startInstant().map(Instant::toEpochMilli);
	}

	/**
	 * Deletes the run directories, and the files in them, of masters that are provably dead.
	 * @param channelDirectory the channel directory
	 * @return the paths deleted
	 * @throws IOException when the directory cannot be listed
	 */
	public static List<Path> removeStale(Path channelDirectory) throws IOException {
		List<Path> removed = new ArrayList<>();
		if (!Files.isDirectory(channelDirectory)) {
			return removed;
		}
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(channelDirectory, "vmworkers-*")) {
			for (Path entry : entries) {
				Matcher name = RUN_DIRECTORY.matcher(entry.getFileName().toString());
				if (name.matches() && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
						&& isDead(Long.parseLong(name.group(1)), Long.parseLong(name.group(2)))) {
					removed.addAll(deleteRunDirectory(entry));
				}
			}
		}
		return removed;
	}

	private static List<Path> deleteRunDirectory(Path runDirectory) throws IOException {
		List<Path> removed = new ArrayList<>();
		try (DirectoryStream<Path> files = Files.newDirectoryStream(runDirectory)) {
			for (Path file : files) {
				if (Files.deleteIfExists(file)) {
					removed.add(file);
				}
			}
		}
		if (Files.deleteIfExists(runDirectory)) {
			removed.add(runDirectory);
		}
		return removed;
	}

	static boolean isDead(long pid, long startMillis) {
		Optional<ProcessHandle> process = ProcessHandle.of(pid);
		if (process.isEmpty() || !process.get().isAlive()) {
			return true;
		}
		Optional<Long> start = startMillis(process.get());
		// Unknown start times prove nothing: keep the directory.
		return start.isPresent() && startMillis != 0 && start.get() != startMillis;
	}

}
