package io.vmworkers.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the JDKs that {@code --jdks=17,25} names: the running JVM when it is of that release, else
 * a JDK installed under {@code /usr/lib/jvm} whose {@code release} file says so; {@code 25=/path}
 * names a JDK's home directly.
 */
final class Jdks {

	private static final Path INSTALLED = Path.of("/usr/lib/jvm");

	private static final Pattern VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE);

	private Jdks() {
	}

	/**
	 * Resolves each entry of the option to a JDK's {@code java} executable.
	 * @param option for example {@code 17,25} or {@code 17,25=/opt/jdk-25}
	 * @return the executables by release, in the option's order
	 * @throws IllegalArgumentException when a release has no JDK here, naming the fix
	 */
	static Map<Integer, Path> resolve(String option) throws IOException {
		Map<Integer, Path> executables = new LinkedHashMap<>();
		for (String entry : option.split(",")) {
			String[] parts = entry.strip().split("=", 2);
			int release;
			try {
				release = Integer.parseInt(parts[0]);
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("--jdks takes Java releases, for example --jdks=17,25 or"
						+ " --jdks=17,25=/path/to/jdk-25; got '" + entry + "'");
			}
			Path home = (parts.length == 2) ? Path.of(parts[1]) : find(release).orElseThrow(
					() -> new IllegalArgumentException("no Java " + release + " JDK found (neither this JVM nor one under "
							+ INSTALLED + "); install one, or give its home as --jdks=" + release + "=/path/to/jdk"));
			Path java = home.resolve("bin").resolve("java");
			if (!Files.isExecutable(java)) {
				throw new IllegalArgumentException("no java executable in " + home + " (for Java " + release + ")");
			}
			executables.put(release, java);
		}
		return executables;
	}

	private static Optional<Path> find(int release) throws IOException {
		if (Runtime.version().feature() == release) {
			return Optional.of(Path.of(System.getProperty("java.home")));
		}
		if (!Files.isDirectory(INSTALLED)) {
			return Optional.empty();
		}
		List<Path> homes = new ArrayList<>();
		try (Stream<Path> entries = Files.list(INSTALLED)) {
			entries.filter(Files::isDirectory).filter((home) -> !Files.isSymbolicLink(home)).forEach(homes::add);
		}
		homes.sort(Comparator.naturalOrder());
		for (Path home : homes) {
			Path releaseFile = home.resolve("release");
			if (Files.isRegularFile(releaseFile)) {
				Matcher version = VERSION.matcher(Files.readString(releaseFile));
				if (version.find() && Integer.parseInt(version.group(1)) == release) {
					return Optional.of(home);
				}
			}
		}
		return Optional.empty();
	}

}
