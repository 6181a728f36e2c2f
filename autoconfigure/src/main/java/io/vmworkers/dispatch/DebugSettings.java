package io.vmworkers.dispatch;

/**
 * Whether a worker starts with a debugger port (JDWP on the loopback interface), set by
 * {@code vmworkers.workers.<name>.debug.port} and {@code .debug.suspend}.
 * @param port the port, 0 for one the JVM picks, or -1 when the worker is not debugged
 * @param suspend whether the worker waits for a debugger before it runs
 */
public record DebugSettings(int port, boolean suspend) {

	/** No debugger port. */
	public static final DebugSettings OFF = new DebugSettings(-1, false);

	public DebugSettings {
		if (port < -1 || port > 65535) {
			throw new IllegalArgumentException("debug port " + port + " is not a port (0 picks a free one)");
		}
	}

	/**
	 * Returns whether the worker starts with a debugger port.
	 * @return true when a port was asked for
	 */
	public boolean enabled() {
		return this.port >= 0;
	}

	/**
	 * Returns the JVM option that opens the port, on the loopback interface only: a JDWP port
	 * lets whoever reaches it run any code in the worker.
	 * @return the option
	 */
	public String jvmOption() {
		return "-agentlib:jdwp=transport=dt_socket,server=y,suspend=" + (this.suspend ? "y" : "n")
				+ ",address=127.0.0.1:" + this.port;
	}

}
