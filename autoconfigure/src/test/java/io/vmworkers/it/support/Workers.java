package io.vmworkers.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts test applications with small worker JVMs, and finds what workers leave behind.
 */
public final class Workers {

	/** Small heaps and one JIT tier: the machine has two cores for the build, the master and workers. */
	public static final String JVM_OPTIONS = "vmworkers.jvm-options=-Xmx64m,-Xss512k,-XX:+UseSerialGC,"
			+ "-XX:TieredStopAtLevel=1,-XX:CICompilerCount=1,-Xshare:auto";

	private Workers() {
	}

	/**
	 * Starts an application as a master, without a web server.
	 * @param source the application class
	 * @param properties extra properties
	 * @return the running context
	 */
	public static ConfigurableApplicationContext start(Class<?> source, String... properties) {
		return new SpringApplicationBuilder(source).web(WebApplicationType.NONE)
			.properties(JVM_OPTIONS, "vmworkers.inherit-jvm-options=false", "spring.main.banner-mode=off",
					// Generous: the build loads both cores; tests of the watch set their own.
					"vmworkers.heartbeat-timeout=10s")
			.properties(properties)
			.run();
	}

	/**
	 * Closes a master's context, if it was started, and checks that no worker process and no
	 * channel file of this JVM is left.
	 * @param context the context, or null
	 */
	public static void closeAndCheckNothingLeft(ConfigurableApplicationContext context) {
		if (context != null) {
			context.close();
		}
		if (!children().isEmpty() || !leftovers().isEmpty()) {
			throw new AssertionError("left behind: processes " + children() + ", files " + leftovers());
		}
	}

	/**
	 * Returns the live child processes of this JVM.
	 * @return their handles
	 */
	public static List<ProcessHandle> children() {
		return ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
	}

	/**
	 * Returns whether a process has exited. A process whose parent died is reaped by init, which
	 * may take a while on some machines: a zombie counts as exited.
	 * @param pid the process
	 * @return true when it no longer runs
	 */
	public static boolean hasExited(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			// The state follows the command name, which is in parentheses and may contain spaces.
			return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
		}
		catch (IOException ex) {
			return true;
		}
	}

	/**
	 * Returns the channel files of this JVM in /dev/shm.
	 * @return the files
	 */
	public static List<Path> channelFiles() {
		return channelFiles(ProcessHandle.current().pid());
	}

	/**
	 * Returns the channel files created by a master in its run directories under /dev/shm.
	 * @param masterPid the master's pid
	 * @return the files
	 */
	public static List<Path> channelFiles(long masterPid) {
		return runDirectories(masterPid).stream().flatMap(Workers::list).toList();
	}

	/**
	 * Returns what a master left under /dev/shm: its run directories and the files in them.
	 * @param masterPid the master's pid
	 * @return the paths
	 */
	public static List<Path> leftovers(long masterPid) {
		List<Path> left = new java.util.ArrayList<>(runDirectories(masterPid));
		left.addAll(channelFiles(masterPid));
		return left;
	}

	/**
	 * Returns what this JVM left under /dev/shm.
	 * @return the paths
	 */
	public static List<Path> leftovers() {
		return leftovers(ProcessHandle.current().pid());
	}

	private static List<Path> runDirectories(long masterPid) {
		return list(Path.of("/dev/shm"))
			.filter((path) -> path.getFileName().toString().startsWith("vmworkers-" + masterPid + "-"))
			.toList();
	}

	private static Stream<Path> list(Path directory) {
		try (Stream<Path> entries = Files.list(directory)) {
			return entries.toList().stream();
		}
		catch (IOException ex) {
			// Removed meanwhile: nothing in it.
			return Stream.empty();
		}
	}

}
