package io.vmworkers.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Reads when a process started, as the kernel counts it: clock ticks since boot, field 22
 * ({@code starttime}) of {@code /proc/<pid>/stat}.
 * <p>
 * The pair of pid and start ticks names one process for as long as the machine runs, and any two
 * processes read the same value for it. {@code ProcessHandle.Info.startInstant()} is not fit for
 * that: the JDK adds the ticks to a boot time it derives from the wall clock, so the instant moves
 * when the clock is stepped (NTP, a resume from suspend), and two JVMs that read it at different
 * times disagree about the same process.
 */
public final class ProcessStart {

	/** Fields are counted from 1 and field 3 is the first after the command name. */
	private static final int START_TIME_FIELD = 22;

	private static final int FIRST_FIELD_AFTER_NAME = 3;

	private ProcessStart() {
	}

	/**
	 * Returns the start of a process in clock ticks since boot.
	 * @param pid the process id
	 * @return the start, or empty when unknown: no such process, or {@code /proc} not readable
	 */
	public static OptionalLong ticks(long pid) {
		if (pid <= 0) {
			return OptionalLong.empty();
		}
		try {
			byte[] stat = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat"));
			return parse(new String(stat, StandardCharsets.ISO_8859_1));
		}
		catch (IOException | SecurityException ex) {
			// Gone, or /proc is not mounted or not ours to read: the start is unknown.
			return OptionalLong.empty();
		}
	}

	/**
	 * Returns the start of this process in clock ticks since boot.
	 * @return the start, or empty when unknown
	 */
	public static OptionalLong ofCurrent() {
		return ticks(ProcessHandle.current().pid());
	}

	/**
	 * Parses the content of {@code /proc/<pid>/stat}.
	 * @param stat the content
	 * @return field 22, or empty when the content is not of that form
	 */
	static OptionalLong parse(String stat) {
		// Field 2 is the command name in parentheses, and the name may itself hold spaces and
		// parentheses (any process can name itself "a) 1 2"): only the last ')' ends it.
		int endOfName = stat.lastIndexOf(')');
		if (endOfName < 0) {
			return OptionalLong.empty();
		}
		String[] fields = stat.substring(endOfName + 1).strip().split(" ");
		int index = START_TIME_FIELD - FIRST_FIELD_AFTER_NAME;
		if (fields.length <= index) {
			return OptionalLong.empty();
		}
		try {
			long ticks = Long.parseLong(fields[index]);
			return (ticks >= 0) ? OptionalLong.of(ticks) : OptionalLong.empty();
		}
		catch (NumberFormatException ex) {
			return OptionalLong.empty();
		}
	}

}
