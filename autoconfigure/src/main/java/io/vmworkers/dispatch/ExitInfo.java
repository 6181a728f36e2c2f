package io.vmworkers.dispatch;

import java.time.Instant;
import java.util.List;

/**
 * How a worker process ended.
 * @param pid the process's pid
 * @param exitCode the exit code as the JDK reports it (128 + n for signal n)
 * @param description for example {@code exit code 137 (SIGKILL, signal 9)}
 * @param at when the exit was seen
 * @param expected whether the master had asked the worker to stop
 * @param outputTail the last lines the process printed
 */
public record ExitInfo(long pid, int exitCode, String description, Instant at, boolean expected,
		List<String> outputTail) {

}
