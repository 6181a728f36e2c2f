package io.vmworkers.process;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * What a worker inherits from the JVM that starts it: the java executable, the JVM options worth
 * passing on, and how the application was launched (exploded class path or executable jar).
 */
public final class JvmEnvironment {

	private static final List<String> DROPPED_PREFIXES = List.of(
			// An inherited debug agent fails the child with "Address already in use".
			"-agentlib:jdwp", "-Xrunjdwp", "-Xdebug",
			// JMX remote would try to bind the master's port again.
			"-Dcom.sun.management.jmxremote",
			// The role is the child's own.
			"-Dvmworkers.",
			// The class path and the launcher's own properties are set per launch.
			"-Djava.class.path=", "-Dloader.main=", "-Dsun.java.command=");

	private JvmEnvironment() {
	}

	/**
	 * Returns the java executable running this JVM.
	 * @return the path of the java command
	 */
	public static String javaExecutable() {
		Optional<String> command = ProcessHandle.current().info().command();
		if (command.isPresent() && Files.isExecutable(Path.of(command.get()))) {
			return command.get();
		}
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/**
	 * Returns the options a worker gets on a JVM of this feature release so that vmworkers' own
	 * libraries start it without warnings: jnr-posix loads its native stub with
	 * {@code System::load}, a restricted method from Java 22, and Kryo reads array offsets through
	 * {@code sun.misc.Unsafe}, whose memory access methods warn from Java 24. Without them each worker
	 * prints a block of warnings into the master's log at every start.
	 * @param feature the Java feature release the worker runs on ({@code Runtime.version().feature()})
	 * @return the options, empty on Java 21 and earlier
	 */
	public static List<String> libraryAccessOptions(int feature) {
		List<String> options = new ArrayList<>();
		if (feature >= 22) {
			options.add("--enable-native-access=ALL-UNNAMED");
		}
		if (feature >= 23) {
			// The option exists from Java 23 (JEP 471); its default turned to a warning in Java 24.
			options.add("--sun-misc-unsafe-memory-access=allow");
		}
		return options;
	}

	/**
	 * Returns the options every worker starts with before the inherited and configured ones, which
	 * may override them: no performance data file, whose sampler wakes an idle JVM twenty times a
	 * second (measured on a 2-vCPU VM: an idle JVM 0.25 % of a core with it, none without).
	 * {@code jcmd <pid>} still reaches such a JVM; {@code jps}, {@code jstat} and VisualVM's local
	 * list do not, unless {@code -XX:+UsePerfData} is among the worker's options.
	 * @return the options
	 */
	public static List<String> quietOptions() {
		return List.of("-XX:-UsePerfData");
	}

	/**
	 * Returns this JVM's options that a worker should share.
	 * @return the options, in order
	 */
	public static List<String> inheritedJvmOptions() {
		return inheritableOptions(ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getenv());
	}

	/**
	 * Filters JVM input arguments: drops debug agents, JMX remote options, vmworkers' own role
	 * properties, and the options that came from {@code JAVA_TOOL_OPTIONS} or
	 * {@code JDK_JAVA_OPTIONS} (the child inherits those through the environment; passing them
	 * again would apply them twice).
	 * @param inputArguments the JVM's input arguments
	 * @param environment the process environment
	 * @return the options to pass on
	 */
	public static List<String> inheritableOptions(List<String> inputArguments, Map<String, String> environment) {
		Set<String> fromEnvironment = new LinkedHashSet<>();
		for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")) {
			String value = environment.get(variable);
			if (value != null && !value.isBlank()) {
				fromEnvironment.addAll(Arrays.asList(value.trim().split("\\s+")));
			}
		}
		List<String> options = new ArrayList<>();
		for (String argument : inputArguments) {
			if (fromEnvironment.contains(argument)) {
				continue;
			}
			if (DROPPED_PREFIXES.stream().anyMatch(argument::startsWith)) {
				continue;
			}
			options.add(argument);
		}
		return options;
	}

	/**
	 * Returns the Spring Boot executable jar this JVM runs from, if it was started with
	 * {@code java -jar app.jar} (the class path is that one jar and its manifest names a
	 * {@code Start-Class}).
	 * @param classPath the value of {@code java.class.path}
	 * @return the jar, or empty for an exploded class path
	 */
	public static Optional<Path> bootJar(String classPath) {
		if (classPath == null || classPath.isEmpty() || classPath.contains(java.io.File.pathSeparator)
				|| !classPath.endsWith(".jar")) {
			return Optional.empty();
		}
		Path jar = Path.of(classPath).toAbsolutePath();
		try (JarFile file = new JarFile(jar.toFile())) {
			Manifest manifest = file.getManifest();
			if (manifest != null && manifest.getMainAttributes().getValue("Start-Class") != null) {
				return Optional.of(jar);
			}
		}
		catch (IOException ex) {
			return Optional.empty();
		}
		return Optional.empty();
	}

}
