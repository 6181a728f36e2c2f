package io.vmworkers.channel;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vmworkers.process.ProcessStart;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Where channel files live, and the removal of those left by masters that died.
 * <p>
 * Each master keeps its channel files in a run directory of its own, mode 0700:
 * {@code <channel directory>/vmworkers-<pid>-t<start>/<worker>-<random>.<m2w|w2m>}. The master's
 * pid and start (clock ticks since boot, see {@link ProcessStart}; 0 when unknown) let a later run
 * prove the owner dead (no such pid, or a pid reused by a process that started at another time)
 * before deleting; directories of a master that is alive, or whose start is unknown, are never
 * touched, and neither is anything this user does not own. A run directory that exists but is not
 * this user's private directory (another user's, a symbolic link, a file, other permissions) is
 * refused: start-up fails closed. 128 random bits make file names unguessable.
 */
public final class ChannelFiles {

	private static final Log logger = LogFactory.getLog(ChannelFiles.class);

	/** Suffix of the ring the master writes. */
	public static final String TO_WORKER = ".m2w";

	/** Suffix of the ring the worker writes. */
	public static final String FROM_WORKER = ".w2m";

	private static final String RUN_DIRECTORY_PREFIX = "vmworkers-";

	/**
	 * The "t" sets these names apart from those of earlier versions, which held the start in
	 * milliseconds: neither version takes the other's live directories for a dead master's.
	 */
	private static final Pattern RUN_DIRECTORY = Pattern.compile("vmworkers-(\\d+)-t(\\d+)");

	/** The start in the name of a run directory whose master could not read its own. */
	private static final long UNKNOWN_START = 0;

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
		long start = ProcessStart.ticks(master.pid()).orElse(UNKNOWN_START);
		return channelDirectory.resolve(RUN_DIRECTORY_PREFIX + master.pid() + "-t" + start);
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

	/**
	 * Deletes the run directories, and the files in them, of masters that are provably dead.
	 * <p>
	 * Only directories this user owns are deleted, and only their regular files, through handles
	 * opened without following links: no one can make the sweep delete elsewhere by swapping in a
	 * link between a check and a deletion. Where the platform has no {@link SecureDirectoryStream},
	 * nothing is deleted. Whatever else carries the prefix (another user's directory, a link, a
	 * file, a name that does not parse) is left alone, logged at debug level; only a channel
	 * directory that cannot be listed fails the sweep.
	 * @param channelDirectory the channel directory
	 * @return the paths deleted
	 * @throws IOException when the channel directory cannot be listed
	 */
	public static List<Path> removeStale(Path channelDirectory) throws IOException {
		List<Path> removed = new ArrayList<>();
		if (!Files.isDirectory(channelDirectory)) {
			return removed;
		}
		Optional<UserPrincipal> me = currentUser();
		if (me.isEmpty()) {
			logger.debug("Not looking for stale channel files in " + channelDirectory
					+ ": the owner of /proc/self, this process's user, cannot be read");
			return removed;
		}
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(channelDirectory)) {
			if (!(entries instanceof SecureDirectoryStream<Path> channel)) {
				logger.debug("Not looking for stale channel files in " + channelDirectory
						+ ": the platform has no SecureDirectoryStream to delete them without following links");
				return removed;
			}
			for (Path entry : channel) {
				if (entry.getFileName().toString().startsWith(RUN_DIRECTORY_PREFIX)) {
					removeIfStale(channel, entry, me.get(), removed);
				}
			}
		}
		catch (DirectoryIteratorException ex) {
			throw ex.getCause();
		}
		return removed;
	}

	private static Optional<UserPrincipal> currentUser() {
		try {
			// /proc/self belongs to the effective user, the one whose files this process creates.
			return Optional.of(Files.getOwner(Path.of("/proc/self")));
		}
		catch (IOException | UnsupportedOperationException | SecurityException ex) {
			return Optional.empty();
		}
	}

	private static void removeIfStale(SecureDirectoryStream<Path> channel, Path entry, UserPrincipal me,
			List<Path> removed) {
		Path name = entry.getFileName();
		Matcher matcher = RUN_DIRECTORY.matcher(name.toString());
		if (!matcher.matches()) {
			logger.debug("Left " + entry + ", not named vmworkers-<pid>-t<start> like a run directory");
			return;
		}
		long pid;
		long start;
		try {
			pid = Long.parseLong(matcher.group(1));
			start = Long.parseLong(matcher.group(2));
		}
		catch (NumberFormatException ex) {
			// Anyone may create names in a shared directory such as /dev/shm.
			logger.debug("Left " + entry + ", its pid or start is out of range (" + ex.getMessage() + ")");
			return;
		}
		if (!isDead(pid, start)) {
			return;
		}
		try {
			// Checked before opening, as opening a named pipe would wait for a writer.
			String refusal = refusal(channel.getFileAttributeView(name, PosixFileAttributeView.class,
					LinkOption.NOFOLLOW_LINKS), me);
			if (refusal != null) {
				logger.debug("Left " + entry + " of dead master pid=" + pid + ": " + refusal);
				return;
			}
			try (SecureDirectoryStream<Path> run = channel.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
				// The name could have changed hands since the check: what was opened is what counts.
				refusal = refusal(run.getFileAttributeView(PosixFileAttributeView.class), me);
				if (refusal != null) {
					logger.debug("Left " + entry + " of dead master pid=" + pid + ": " + refusal);
					return;
				}
				deleteRegularFiles(run, entry, removed);
			}
			channel.deleteDirectory(name);
			removed.add(entry);
		}
		catch (IOException | DirectoryIteratorException ex) {
			logger.debug("Left " + entry + " of dead master pid=" + pid + ": " + ex);
		}
	}

	private static void deleteRegularFiles(SecureDirectoryStream<Path> run, Path runDirectory, List<Path> removed)
			throws IOException {
		for (Path file : run) {
			Path name = file.getFileName();
			PosixFileAttributes attributes = run
				.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
				.readAttributes();
			if (attributes.isRegularFile()) {
				run.deleteFile(name);
				removed.add(runDirectory.resolve(name));
			}
			else {
				// A link, say, keeps the directory: rmdir then fails, and the next sweep says so again.
				logger.debug("Left " + runDirectory.resolve(name) + ", not a regular file");
			}
		}
	}

	/** Returns why a run directory of a dead master is not ours to delete, or null when it is. */
	private static String refusal(PosixFileAttributeView view, UserPrincipal me) throws IOException {
		PosixFileAttributes attributes = view.readAttributes();
		if (!attributes.isDirectory()) {
			return "not a directory (link=" + attributes.isSymbolicLink() + ")";
		}
		// The JDK's Unix principals are equal when their numeric ids are, whatever their names.
		if (!attributes.owner().equals(me)) {
			return "owner=" + attributes.owner().getName() + " is not this user=" + me.getName();
		}
		return null;
	}

	static boolean isDead(long pid, long startTicks) {
		Optional<ProcessHandle> process = ProcessHandle.of(pid);
		if (process.isEmpty() || !process.get().isAlive()) {
			return true;
		}
		if (startTicks == UNKNOWN_START) {
			return false;
		}
		// Unknown start times prove nothing: keep the directory.
		OptionalLong start = ProcessStart.ticks(pid);
		return start.isPresent() && start.getAsLong() != startTicks;
	}

}
