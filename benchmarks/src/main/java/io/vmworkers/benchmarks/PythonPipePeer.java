package io.vmworkers.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What a Python user has: {@code multiprocessing.Pipe} between a parent and a forked child, timed
 * inside Python. The parent script stays up for the whole suite and runs one batch per line read
 * on its standard input (the batch's length in milliseconds), printing the round trips' durations.
 */
final class PythonPipePeer implements RoundTrip, AutoCloseable {

	private static final String SCRIPT = """
			import multiprocessing, sys, time

			def echo(conn):
			    while True:
			        value = conn.recv()
			        if value is None:
			            return
			        conn.send(value + 1)

			if __name__ == '__main__':
			    parent, child = multiprocessing.Pipe()
			    worker = multiprocessing.Process(target=echo, args=(child,), daemon=True)
			    worker.start()
			    clock = time.perf_counter_ns
			    for line in sys.stdin:
			        end = clock() + int(float(line) * 1e6)
			        samples = []
			        value = 0
			        now = clock()
			        while now < end:
			            parent.send(value)
			            answer = parent.recv()
			            after = clock()
			            assert answer == value + 1
			            value = answer
			            samples.append(after - now)
			            now = after
			        print(' '.join(map(str, samples)), flush=True)
			    parent.send(None)
			    worker.join(1)
			""";

	private final Process process;

	private final Path script;

	private final Writer commands;

	private final BufferedReader results;

	private PythonPipePeer(Process process, Path script) {
		this.process = process;
		this.script = script;
		this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
		this.results = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
	}

	/**
	 * Starts the script with {@code python3}.
	 * @return the peer, or empty when python3 is not installed
	 * @throws IOException when the script cannot be written
	 */
	static Optional<PythonPipePeer> start() throws IOException {
		Path script = Files.createTempFile("vmworkers-bench-", ".py");
		script.toFile().deleteOnExit();
		Files.writeString(script, SCRIPT);
		try {
			Process process = new ProcessBuilder("python3", script.toString())
				.redirectError(ProcessBuilder.Redirect.INHERIT)
				.start();
			return Optional.of(new PythonPipePeer(process, script));
		}
		catch (IOException ex) {
			// No python3 on the path: the table says the reference is skipped.
			Files.deleteIfExists(script);
			return Optional.empty();
		}
	}

	@Override
	public String name() {
		return "Python multiprocessing.Pipe";
	}

	@Override
	public long[] run(long nanos) throws IOException {
		this.commands.write(TimeUnit.NANOSECONDS.toMillis(nanos) + "\n");
		this.commands.flush();
		String line = this.results.readLine();
		if (line == null) {
			throw new IOException("python3 " + this.script + " ended; its error output is above");
		}
		return line.isBlank() ? new long[0] : Arrays.stream(line.split(" ")).mapToLong(Long::parseLong).toArray();
	}

	@Override
	public void close() throws IOException {
		try {
			// End of input ends the script's loop and, with it, the forked child.
			this.commands.close();
			if (!this.process.waitFor(2, TimeUnit.SECONDS)) {
				this.process.descendants().forEach(ProcessHandle::destroyForcibly);
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		finally {
			Files.deleteIfExists(this.script);
		}
	}

}
