package io.vmworkers.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What one master may leave behind: worker processes and {@code /dev/shm} entries. Scoped to that
 * master's pid, since other vmworkers applications may run on the machine at the same time.
 */
final class Leftovers {

	private Leftovers() {
	}

	/**
	 * Lists the run directory (and anything else) a master has in {@code /dev/shm}.
	 * @param masterPid the master's pid
	 * @return the entries, named {@code vmworkers-<pid>-<start>}
	 */
	static List<Path> shmEntries(long masterPid) throws IOException {
		try (Stream<Path> entries = Files.list(Path.of("/dev/shm"))) {
			return entries.filter((entry) -> entry.getFileName().toString().startsWith("vmworkers-" + masterPid + "-"))
				.toList();
		}
	}

	/**
	 * Lists the live worker processes a master started, found by the master pid on their command
	 * line (they outlive the master's process tree when it is killed).
	 * @param masterPid the master's pid
	 * @return their pids
	 */
	static List<Long> workerProcesses(long masterPid) {
		byte[] marker = ("vmworkers.worker.master-pid=" + masterPid + "\0").getBytes(StandardCharsets.US_ASCII);
		return ProcessHandle.allProcesses()
			.filter(ProcessHandle::isAlive)
			.filter((process) -> commandLineHolds(process.pid(), marker))
			.map(ProcessHandle::pid)
			.toList();
	}

	private static boolean commandLineHolds(long pid, byte[] marker) {
		try {
			String commandLine = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
					StandardCharsets.US_ASCII);
			return commandLine.contains(new String(marker, StandardCharsets.US_ASCII));
		}
		catch (IOException ex) {
			// Gone meanwhile, or not ours to read.
			return false;
		}
	}

	static long openDescriptors() throws IOException {
		try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
			return descriptors.count();
		}
	}

}
