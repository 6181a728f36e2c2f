package io.vmworkers.actuate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a process, read from Linux's {@code /proc} by the master, so
 * that a worker reports nothing extra over its channel.
 * @param cpuTimeNanos user plus system CPU time since the process started
 * @param residentBytes resident set size ({@code VmRSS})
 */
public record ProcessUsage(long cpuTimeNanos, long residentBytes) {

	/**
	 * Clock ticks per second of {@code /proc/<pid>/stat} ({@code USER_HZ}): fixed at 100 by the
	 * kernel's ABI on the architectures vmworkers supports (amd64, aarch64), whatever the kernel's HZ.
	 */
	static final long CLOCK_TICKS_PER_SECOND = 100;

	private static final long NANOS_PER_TICK = 1_000_000_000L / CLOCK_TICKS_PER_SECOND;

	/** 0-based index of utime among the fields after the command name; stime follows it. */
	private static final int UTIME_AFTER_COMMAND = 11;

	private static final Path PROC = Path.of("/proc");

	/**
	 * Reads the usage of a live process.
	 * @param pid the process id
	 * @return its usage, or null when the process is gone or {@code /proc} cannot be read
	 */
	public static ProcessUsage read(long pid) {
		if (pid <= 0) {
			return null;
		}
		try {
			Path directory = PROC.resolve(Long.toString(pid));
			long cpu = parseCpuTimeNanos(Files.readString(directory.resolve("stat"), StandardCharsets.US_ASCII));
			long resident = parseResidentBytes(Files.readString(directory.resolve("status"), StandardCharsets.US_ASCII));
			return (cpu < 0 || resident < 0) ? null : new ProcessUsage(cpu, resident);
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Parses utime + stime from the text of {@code /proc/<pid>/stat}.
	 * @param stat the file's text
	 * @return the CPU time in nanoseconds, or -1 when the text has no such fields
	 */
	static long parseCpuTimeNanos(String stat) {
		// The command name (field 2) is in parentheses and may itself hold spaces and ')'.
		int end = stat.lastIndexOf(')');
		if (end < 0) {
			return -1;
		}
		String[] fields = stat.substring(end + 1).trim().split("\\s+");
		if (fields.length <= UTIME_AFTER_COMMAND + 1) {
			return -1;
		}
		long ticks = Long.parseLong(fields[UTIME_AFTER_COMMAND]) + Long.parseLong(fields[UTIME_AFTER_COMMAND + 1]);
		return ticks * NANOS_PER_TICK;
	}

	/**
	 * Parses {@code VmRSS} from the text of {@code /proc/<pid>/status}.
	 * @param status the file's text
	 * @return the resident size in bytes, or -1 when the line is missing (as for a zombie)
	 */
	static long parseResidentBytes(String status) {
		for (String line : status.split("\n")) {
			if (line.startsWith("VmRSS:")) {
				String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
				long value = Long.parseLong(parts[0]);
				return (parts.length > 1 && parts[1].equalsIgnoreCase("kB")) ? value * 1024 : value;
			}
		}
		return -1;
	}

}
