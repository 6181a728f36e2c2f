package io.vmworkers.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

/**
 * Warm start of worker JVMs with class data sharing (CDS): the classes a worker loaded are kept
 * in an archive that later workers of the same application map instead of loading and verifying
 * them again, so that a Spring worker starts faster (figures in docs/performance.md).
 * <p>
 * The first worker of a class path writes the archive when it exits normally (a few seconds more
 * at its exit, once); later workers map it. Up to Java 24 the archive is a dynamic one
 * ({@code -XX:ArchiveClassesAtExit}, then {@code -XX:SharedArchiveFile}); from Java 25 on it is an
 * ahead-of-time cache ({@code -XX:AOTCacheOutput}, then {@code -XX:AOTCache}), which also holds
 * the classes linked and the methods' profiles ({@link ArchiveFormat}). An archive is
 * named by a digest of what it depends on (the JVM, the JVM options, and every class path jar's
 * path, size and modification time, including the jars that manifests name), so a rebuilt
 * application or another JVM gets a new archive instead of a rejected one. Only jars can be
 * archived: a class path with directories (an IDE, Surefire, {@code spring-boot:run}) runs without.
 * A Spring Boot executable jar is extracted once (Boot's {@code -Djarmode=tools extract}) so its
 * workers start from plain jars.
 * <p>
 * The cache directory must be this user's own, mode 0700: an archive is code the JVM maps, and a
 * directory others can write would let them plant one. The newest {@value #KEPT} archives and
 * extractions are kept; older ones are deleted.
 */
public final class ClassDataSharing {

	/** What a launch does about class data sharing. */
	public enum Use {

		/** Runs without an archive of its own ({@link Plan#reason()} says why). */
		OFF,

		/** Writes the archive when it exits normally. */
		TRAIN,

		/** Maps the archive written by an earlier worker. */
		SHARE

	}

	private static final int KEPT = 4;


	private static final Pattern PARTIAL = Pattern.compile("[0-9a-f]+\\.(\\d+)\\.(training|extracting)");

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

	private static final Duration EXTRACT_TIMEOUT = Duration.ofMinutes(2);

	private static final List<String> OWN_OPTIONS = List.of("-Xshare:", "-XX:SharedArchiveFile", "-XX:ArchiveClassesAtExit",
			"-XX:-UseSharedSpaces", "-XX:+AutoCreateSharedArchive", "-XX:SharedClassListFile", "-XX:DumpLoadedClassList",
			"-XX:AOTCache", "-XX:AOTCacheOutput", "-XX:AOTMode", "-XX:AOTConfiguration");

	/** The JVM refuses to write an archive with an agent loaded ("CDS dumping does not support native JVMTI agent"). */
	private static final List<String> AGENT_OPTIONS = List.of("-agentpath:", "-agentlib:", "-javaagent:");

	/** Exit codes after which the JVM has written its archive: normal exit, SIGINT, SIGTERM. */
	private static final Set<Integer> ORDERLY_EXIT_CODES = Set.of(0, 128 + 2, 128 + 15);

	private final Path directory;

	private final ArchiveFormat format;

	private final Set<String> training = ConcurrentHashMap.newKeySet();

	private final Object extracting = new Object();

	/**
	 * Creates the warm start with its cache directory, which is created on first use.
	 * @param directory where archives and extracted jars are kept
	 */
	public ClassDataSharing(Path directory) {
		this(directory, ArchiveFormat.forRelease(Runtime.version().feature()));
	}

	/**
	 * Creates the warm start with its cache directory and the archive format its workers' JVM takes.
	 * @param directory where archives and extracted jars are kept
	 * @param format how the workers' JVM writes and maps an archive
	 */
	ClassDataSharing(Path directory, ArchiveFormat format) {
		this.directory = directory.toAbsolutePath();
		this.format = format;
	}

	/**
	 * Returns how the workers' JVM writes and maps an archive: an AOT cache from Java 25 on.
	 * @return the format
	 */
	public ArchiveFormat format() {
		return this.format;
	}

	/**
	 * Returns the cache directory.
	 * @return the directory
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * Extracts a Spring Boot executable jar into the cache, once per jar version, so that workers can
	 * run it from plain jars. Runs Boot's {@code java -Djarmode=tools -jar app.jar extract}.
	 * @param javaExecutable the java command
	 * @param bootJar the executable jar
	 * @return the extracted application jar to put on the class path (its manifest names the
	 * libraries), or empty with the reason when the jar cannot be extracted
	 */
	public Extracted extract(String javaExecutable, Path bootJar) {
		try {
			checkDirectory();
			String key = digest(List.of("extract-1", describe(bootJar)));
			Path target = this.directory.resolve(key);
			Path application = target.resolve(bootJar.getFileName().toString());
			synchronized (this.extracting) {
				if (Files.isRegularFile(application, LinkOption.NOFOLLOW_LINKS)) {
					Files.setLastModifiedTime(target, FileTime.from(Instant.now()));
					return new Extracted(application, false, null);
				}
				if (!hasJarModeTools(bootJar)) {
					return new Extracted(null, false, bootJar.getFileName() + " has no spring-boot-jarmode-tools "
							+ "(includeTools=false in the spring-boot-maven-plugin); workers start from the executable jar");
				}
				Path partial = this.directory.resolve(key + "." + ProcessHandle.current().pid() + ".extracting");
				removeAbandoned();
				deleteTree(partial);
				Process process = new ProcessBuilder(javaExecutable, "-Djarmode=tools", "-jar", bootJar.toString(),
						"extract", "--destination", partial.toString())
					.redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.DISCARD)
					.start();
				process.getOutputStream().close();
				boolean exited = process.waitFor(EXTRACT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				if (!exited) {
					process.destroyForcibly().waitFor();
				}
				Path extracted = partial.resolve(bootJar.getFileName().toString());
				if (!exited || process.exitValue() != 0 || !Files.isRegularFile(extracted)) {
					deleteTree(partial);
					return new Extracted(null, false, "extracting " + bootJar + " failed ("
							+ (exited ? "exit code " + process.exitValue() : "timed out") + ")");
				}
				try {
					Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
				}
				catch (FileAlreadyExistsException | DirectoryNotEmptyException ex) {
					// Another master extracted the same jar meanwhile: its copy serves as well.
					deleteTree(partial);
					return new Extracted(application, false, null);
				}
				prune();
				return new Extracted(application, true, null);
			}
		}
		catch (IOException | UncheckedIOException ex) {
			return new Extracted(null, false, "cache directory " + this.directory + ": " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Extracted(null, false, "interrupted while extracting " + bootJar);
		}
	}

	/**
	 * Decides how one worker launch uses class data sharing.
	 * @param classPath the worker's class path
	 * @param jvmOptions the worker's other JVM options
	 * @return the plan, whose options are to be added to the command and which is to be
	 * {@linkplain Plan#finish(int) finished} once the process has exited
	 */
	public Plan plan(String classPath, List<String> jvmOptions) {
		String vm = System.getProperty("java.vm.name", "");
		if (!vm.contains("HotSpot") && !vm.contains("OpenJDK")) {
			return off("the JVM (" + vm + ") is not HotSpot, whose archive options vmworkers uses");
		}
		for (String option : jvmOptions) {
			if (OWN_OPTIONS.stream().anyMatch(option::startsWith)) {
				return off("the JVM options set class data sharing themselves (" + option + ")");
			}
			if (AGENT_OPTIONS.stream().anyMatch(option::startsWith)) {
				return off("the JVM options load an agent (" + option + "), with which the JVM writes no archive");
			}
		}
		List<String> parts = new ArrayList<>();
		parts.add("archive-1-" + this.format);
		parts.add(System.getProperty("java.home"));
		parts.add(System.getProperty("java.vm.version"));
		// Logging options do not change what an archive holds.
		jvmOptions.stream().filter((option) -> !option.startsWith("-Xlog")).forEach(parts::add);
		try {
			for (Path jar : jars(classPath)) {
				if (!Files.isRegularFile(jar) || !jar.getFileName().toString().endsWith(".jar")) {
					return off("the class path holds " + jar + ", which is not a jar (an IDE, test or exploded run); "
							+ "class data sharing needs jars");
				}
				parts.add(describe(jar));
			}
			checkDirectory();
			String key = digest(parts);
			Path archive = this.directory.resolve(key + this.format.suffix());
			if (Files.isRegularFile(archive, LinkOption.NOFOLLOW_LINKS) && Files.size(archive) > 0) {
				Files.setLastModifiedTime(archive, FileTime.from(Instant.now()));
				List<String> options = new ArrayList<>(this.format.quiet());
				options.add(this.format.useOption() + archive);
				return new Plan(Use.SHARE, options, archive, null, null, null);
			}
			if (!this.training.add(key)) {
				return new Plan(Use.OFF, List.of(), null, null, "another worker is writing the archive for this class path",
						null);
			}
			removeAbandoned();
			Path file = this.directory.resolve(key + "." + ProcessHandle.current().pid() + ".training");
			Files.deleteIfExists(file);
			List<String> options = new ArrayList<>(this.format.quiet());
			options.add(this.format.writeOption() + file);
			return new Plan(Use.TRAIN, options, archive, file, null, () -> {
				this.training.remove(key);
				pruneQuietly();
			});
		}
		catch (IOException | UncheckedIOException ex) {
			return off("cache directory " + this.directory + ": " + ex.getMessage());
		}
	}

	/** A reason that holds for every launch of this class path and these options. */
	private static Plan off(String reason) {
		return new Plan(Use.OFF, List.of(), null, null, reason, null, true);
	}

	/** The jars of a class path, with those their manifests name, in order. */
	private static List<Path> jars(String classPath) throws IOException {
		List<Path> jars = new ArrayList<>();
		for (String entry : classPath.split(File.pathSeparator)) {
			if (entry.isEmpty()) {
				continue;
			}
			Path jar = Path.of(entry).toAbsolutePath();
			jars.add(jar);
			if (Files.isRegularFile(jar) && jar.getFileName().toString().endsWith(".jar")) {
				jars.addAll(manifestClassPath(jar));
			}
		}
		return jars;
	}

	private static List<Path> manifestClassPath(Path jar) throws IOException {
		List<Path> named = new ArrayList<>();
		try (JarFile file = new JarFile(jar.toFile())) {
			Manifest manifest = file.getManifest();
			String value = (manifest != null) ? manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH) : null;
			if (value != null) {
				for (String relative : value.trim().split("\\s+")) {
					if (!relative.isEmpty()) {
						named.add(jar.resolveSibling(relative).normalize());
					}
				}
			}
		}
		return named;
	}

	private static boolean hasJarModeTools(Path bootJar) throws IOException {
		try (JarFile file = new JarFile(bootJar.toFile())) {
			return file.stream().map(ZipEntry::getName).anyMatch((name) -> name.startsWith("BOOT-INF/lib/spring-boot-jarmode-tools"));
		}
	}

	private static String describe(Path file) {
		try {
			return file + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis();
		}
		catch (IOException ex) {
			return file + "|missing";
		}
	}

	private static String digest(List<String> parts) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			for (String part : parts) {
				digest.update(part.getBytes(StandardCharsets.UTF_8));
				digest.update((byte) 0);
			}
			return HexFormat.of().formatHex(digest.digest(), 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	/** Creates the cache directory, or accepts it only when it is this user's and no one else's. */
	private void checkDirectory() throws IOException {
		if (!Files.exists(this.directory, LinkOption.NOFOLLOW_LINKS)) {
			Files.createDirectories(this.directory.getParent());
			try {
				Files.createDirectory(this.directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
				Files.setPosixFilePermissions(this.directory, OWNER_ONLY);
			}
			catch (FileAlreadyExistsException ex) {
				// Another master made it at the same moment: checked below.
			}
		}
		PosixFileAttributes attributes = Files.readAttributes(this.directory, PosixFileAttributes.class,
				LinkOption.NOFOLLOW_LINKS);
		if (!attributes.isDirectory() || !attributes.owner().getName().equals(System.getProperty("user.name"))
				|| !attributes.permissions().equals(OWNER_ONLY)) {
			throw new IOException("not this user's private directory (directory=" + attributes.isDirectory() + ", owner="
					+ attributes.owner().getName() + ", mode=" + PosixFilePermissions.toString(attributes.permissions())
					+ "); class data sharing needs mode 0700, set vmworkers.cds.directory or fix the mode");
		}
	}

	/** Deletes the partial archives and extractions of masters that died while writing them. */
	private void removeAbandoned() throws IOException {
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(this.directory)) {
			for (Path entry : entries) {
				Matcher name = PARTIAL.matcher(entry.getFileName().toString());
				if (name.matches() && !ProcessHandle.of(Long.parseLong(name.group(1))).map(ProcessHandle::isAlive).orElse(false)) {
					deleteTree(entry);
				}
			}
		}
	}

	private void pruneQuietly() {
		try {
			prune();
		}
		catch (IOException ex) {
			// Pruning is tidying: the next launch tries again.
		}
	}

	/** Keeps the newest archives and extractions. */
	private void prune() throws IOException {
		List<Path> archives = new ArrayList<>();
		List<Path> extractions = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(this.directory)) {
			for (Path entry : entries) {
				String name = entry.getFileName().toString();
				if (name.matches("[0-9a-f]{32}\\.(jsa|aot)")) {
					archives.add(entry);
				}
				else if (name.matches("[0-9a-f]{32}") && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
					extractions.add(entry);
				}
			}
		}
		for (List<Path> kind : List.of(archives, extractions)) {
			kind.sort(Comparator.comparing(ClassDataSharing::modified).reversed());
			for (Path old : kind.subList(Math.min(KEPT, kind.size()), kind.size())) {
				deleteTree(old);
			}
		}
	}

	private static FileTime modified(Path path) {
		try {
			return Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS);
		}
		catch (IOException ex) {
			return FileTime.fromMillis(0);
		}
	}

	private static void deleteTree(Path root) throws IOException {
		if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
			try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
				for (Path entry : entries) {
					deleteTree(entry);
				}
			}
		}
		Files.deleteIfExists(root);
	}

	/**
	 * The result of {@link #extract}.
	 * @param applicationJar the extracted application jar, or null
	 * @param fresh whether this call extracted it
	 * @param reason why there is none, or null
	 */
	public record Extracted(Path applicationJar, boolean fresh, String reason) {

		/**
		 * Returns the extracted application jar.
		 * @return the jar, or empty when extraction was not possible
		 */
		public Optional<Path> jar() {
			return Optional.ofNullable(this.applicationJar);
		}

	}

	/**
	 * How one launch uses class data sharing.
	 */
	public static final class Plan {

		private final Use use;

		private final List<String> jvmOptions;

		private final Path archive;

		private final Path training;

		private final String reason;

		private final Runnable release;

		private final boolean lasting;

		private final AtomicBoolean finished = new AtomicBoolean();

		private Plan(Use use, List<String> jvmOptions, Path archive, Path training, String reason, Runnable release) {
			this(use, jvmOptions, archive, training, reason, release, false);
		}

		private Plan(Use use, List<String> jvmOptions, Path archive, Path training, String reason, Runnable release,
				boolean lasting) {
			this.lasting = lasting;
			this.use = use;
			this.jvmOptions = List.copyOf(jvmOptions);
			this.archive = archive;
			this.training = training;
			this.reason = reason;
			this.release = release;
		}

		/**
		 * Returns what this launch does.
		 * @return the use
		 */
		public Use use() {
			return this.use;
		}

		/**
		 * Returns the JVM options to add to the worker's command.
		 * @return the options, empty when off
		 */
		public List<String> jvmOptions() {
			return this.jvmOptions;
		}

		/**
		 * Returns the archive used or written, or null when off.
		 * @return the archive
		 */
		public Path archive() {
			return this.archive;
		}

		/**
		 * Returns why the launch runs without an archive of its own, or null.
		 * @return the reason
		 */
		public String reason() {
			return this.reason;
		}

		/**
		 * Returns whether the reason holds for every launch of this class path and these options
		 * (a directory on the class path, say), rather than for this one only (another worker is
		 * writing the archive).
		 * @return true for a lasting reason
		 */
		public boolean lasting() {
			return this.lasting;
		}

		/**
		 * Finishes the plan once the process has exited: a training worker that exited normally
		 * leaves its archive in place for the next ones; otherwise its partial file is deleted. Safe
		 * to call more than once. Normal exits are exit code 0 and the JVM's orderly shutdown on
		 * SIGINT or SIGTERM (130, 143): Ctrl-C in a terminal signals the worker along with its
		 * master, and the JVM writes the archive before it exits either way.
		 * @param exitCode the process's exit code
		 * @return true when this call published a new archive
		 */
		public boolean finish(int exitCode) {
			if (this.use != Use.TRAIN || !this.finished.compareAndSet(false, true)) {
				return false;
			}
			try {
				if (ORDERLY_EXIT_CODES.contains(exitCode) && Files.isRegularFile(this.training) && Files.size(this.training) > 0) {
					Files.move(this.training, this.archive, StandardCopyOption.ATOMIC_MOVE,
							StandardCopyOption.REPLACE_EXISTING);
					return true;
				}
				Files.deleteIfExists(this.training);
				return false;
			}
			catch (IOException ex) {
				try {
					Files.deleteIfExists(this.training);
				}
				catch (IOException ignored) {
					// Left for removeAbandoned once this master is gone.
				}
				return false;
			}
			finally {
				this.release.run();
			}
		}

		@Override
		public String toString() {
			return switch (this.use) {
				case OFF -> "off: " + this.reason;
				case TRAIN -> "writing archive " + this.archive + " at exit";
				case SHARE -> "archive " + this.archive;
			};
		}

	}

}
