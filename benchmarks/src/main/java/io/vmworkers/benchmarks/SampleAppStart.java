package io.vmworkers.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Starts the sample application's executable jar the way a user does ({@code java -jar}), reads
 * from its log when its context started and when its worker was ready, and stops it with SIGTERM
 * as Ctrl-C would.
 */
final class SampleAppStart {

	private static final Duration START_LIMIT = Duration.ofMinutes(2);

	private static final Duration STOP_LIMIT = Duration.ofSeconds(30);

	private static final String CONTEXT_START = "Starting SampleApplication";

	private static final String WORKER_READY = "Worker 'countingTask' ready";

	private static final String STARTED = "Started SampleApplication in ";

	/**
	 * Ends the ready line: the worker's start-up time, and either how long before the master's start
	 * needed it the worker was ready, or how long that start waited for it.
	 */
	private static final Pattern TIMES = Pattern.compile("(\\d+) ms after its launch(?:, (\\d+) ms before the context's"
			+ " start needed it|; the context's start waited (\\d+) ms for it)");

	private SampleAppStart() {
	}

	/**
	 * Finds the sample application's jar built by {@code ./mvnw package -pl sample-app}.
	 * @return the jar, if it was built
	 */
	static Optional<Path> jar() throws IOException {
		Path target = Path.of("sample-app", "target");
		if (!Files.isDirectory(target)) {
			return Optional.empty();
		}
		try (Stream<Path> files = Files.list(target)) {
			return files.filter((file) -> file.getFileName().toString().matches("vmworkers-sample-app-.*\\.jar"))
				.findFirst();
		}
	}

	/**
	 * Starts the sample once and stops it.
	 * @param jar the sample's jar
	 * @return how long its start took
	 */
	static Timing run(Path jar) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(List.of(ChildJvm.javaExecutable(), "-jar", jar.toString(),
				"--server.port=0", "--sample.rounds=1000", "--sample.traffic.rounds-per-second=0"))
			.redirectErrorStream(true)
			.start();
		Deque<String> tail = new ArrayDeque<>();
		CompletableFuture<Timing> timing = new CompletableFuture<>();
		Thread reader = new Thread(() -> read(process, tail, timing), "sample-app-output");
		reader.setDaemon(true);
		reader.start();
		try {
			return timing.get(START_LIMIT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			synchronized (tail) {
				throw new IllegalStateException("the sample app did not start: " + String.join("\n", tail), ex);
			}
		}
		finally {
			process.destroy();
			if (!process.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS);
			}
		}
	}

	private static void read(Process process, Deque<String> tail, CompletableFuture<Timing> timing) {
		Instant contextStart = null;
		Instant workerReady = null;
		Matcher times = null;
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = lines.readLine()) != null) {
				synchronized (tail) {
					tail.addLast(line);
					if (tail.size() > 40) {
						tail.removeFirst();
					}
				}
				if (contextStart == null && line.contains(CONTEXT_START)) {
					contextStart = timestamp(line);
				}
				else if (workerReady == null && line.contains(WORKER_READY)) {
					times = TIMES.matcher(line);
					if (!times.find()) {
						throw new IllegalStateException("no start-up times in the ready line: " + line);
					}
					// Logged when the master's start got to its workers: this one was ready earlier.
					workerReady = timestamp(line).minusMillis((times.group(2) != null) ? Long.parseLong(times.group(2)) : 0);
				}
				else if (contextStart != null && workerReady != null && line.contains(STARTED)) {
					String seconds = line.substring(line.indexOf(STARTED) + STARTED.length()).split(" ")[0];
					timing.complete(new Timing(Duration.between(contextStart, workerReady).toNanos(),
							(long) (Double.parseDouble(seconds) * 1e9), millisToNanos(times.group(1)),
							(times.group(3) != null) ? millisToNanos(times.group(3)) : 0));
				}
			}
			timing.completeExceptionally(new IllegalStateException("the sample app exited"));
		}
		catch (IOException | RuntimeException ex) {
			timing.completeExceptionally(ex);
		}
	}

	private static long millisToNanos(String millis) {
		return TimeUnit.MILLISECONDS.toNanos(Long.parseLong(millis));
	}

	/** The timestamp Boot's console log starts each line with. */
	private static Instant timestamp(String line) {
		return Instant.parse(line.substring(0, line.indexOf(' ')));
	}

	/**
	 * One start of the sample.
	 * @param contextToWorkerReadyNanos from the log line of its context's start to its worker's ready message
	 * @param startedNanos what Boot reports as its whole start ("Started ... in"), web server included
	 * @param launchToReadyNanos from the worker's launch to its ready message
	 * @param waitedNanos how long the master's start waited for the worker
	 */
	record Timing(long contextToWorkerReadyNanos, long startedNanos, long launchToReadyNanos, long waitedNanos) {
	}

}
