package io.vmworkers.benchmarks;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Where the suite ran: the figures mean something only next to the machine and its load.
 */
final class Machine {

	private Machine() {
	}

	static String cpu() {
		try {
			return Files.readAllLines(Path.of("/proc/cpuinfo"))
				.stream()
				.filter((line) -> line.startsWith("model name"))
				.map((line) -> line.substring(line.indexOf(':') + 1).strip())
				.findFirst()
				.orElse("unknown");
		}
		catch (IOException ex) {
			return "unknown (" + ex.getMessage() + ")";
		}
	}

	/** The load averages (1, 5, 15 min) and the run queue, from /proc/loadavg. */
	static String load() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).strip();
		}
		catch (IOException ex) {
			return "unknown (" + ex.getMessage() + ")";
		}
	}

	static String jvm() {
		String collectors = ManagementFactory.getGarbageCollectorMXBeans()
			.stream()
			.map(GarbageCollectorMXBean::getName)
			.collect(Collectors.joining(", "));
		return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + ", GC: "
				+ collectors + ", JVM options: " + ManagementFactory.getRuntimeMXBean().getInputArguments();
	}

	static int cores() {
		return Runtime.getRuntime().availableProcessors();
	}

}
