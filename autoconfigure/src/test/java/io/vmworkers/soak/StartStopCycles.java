package io.vmworkers.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts and stops the application {@code count} times in this JVM, then checks that no process,
 * descriptor, mapping or {@code /dev/shm} entry is left (mappings once the garbage collector has
 * released closed channels).
 */
final class StartStopCycles {

	private StartStopCycles() {
	}

	/**
	 * Runs the cycles and prints a table.
	 * @param count how many
	 * @return whether nothing was left
	 */
	static boolean run(int count) throws IOException {
		start().close();
		System.gc();
		Counts before = Counts.now();
		long began = System.nanoTime();
		for (int i = 0; i < count; i++) {
			try (ConfigurableApplicationContext context = start()) {
				context.getBean(SoakTaskA.class).inc(i);
			}
		}
		System.gc();
		Counts after = Counts.now();
		System.out.println();
		System.out.println("| start/stop cycles | value |");
		System.out.println("| --- | --- |");
		System.out.printf("| cycles (2 workers each) | %d in %d s |%n", count,
				TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began));
		System.out.printf("| worker processes before / after | %d / %d |%n", before.children, after.children);
		System.out.printf("| master file descriptors before / after | %d / %d |%n", before.descriptors, after.descriptors);
		System.out.printf("| channel mappings before / after (after a GC) | %d / %d |%n", before.mappings, after.mappings);
		System.out.printf("| /dev/shm vmworkers entries before / after | %d / %d |%n", before.shmEntries,
				after.shmEntries);
		return after.children == 0 && after.shmEntries == 0 && after.descriptors <= before.descriptors
				&& after.mappings <= before.mappings;
	}

	private static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(SoakApplication.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "logging.level.root=warn",
					"vmworkers.jvm-options=-Xmx64m,-XX:TieredStopAtLevel=1", "vmworkers.inherit-jvm-options=false")
			.run();
	}

	private record Counts(long children, long descriptors, long mappings, long shmEntries) {

		static Counts now() throws IOException {
			try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
				return new Counts(ProcessHandle.current().children().filter(ProcessHandle::isAlive).count(),
						Leftovers.openDescriptors(), maps.filter((line) -> line.contains("/vmworkers-")).count(),
						Leftovers.shmEntries(ProcessHandle.current().pid()).size());
			}
		}

	}

}
