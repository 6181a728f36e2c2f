package io.vmworkers.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
 * from its log when its context started and when its worker was ready, restarts its worker through
 * the actuator as the dashboard's button does, and stops it with SIGTERM as Ctrl-C would.
 */
final class SampleAppStart {

	private static final Duration START_LIMIT = Duration.ofMinutes(2);

	private static final Duration STOP_LIMIT = Duration.ofSeconds(30);

	private static final String CONTEXT_START = "Starting SampleApplication";

	private static final String WORKER_READY = "Worker 'countingTask' ready";

	private static final String STARTED = "Started SampleApplication in ";

	private static final Pattern PORT = Pattern.compile("started on port (\\d+)", Pattern.CASE_INSENSITIVE);

	/** One place of the worker's pool, ready: the endpoint lists the places' role before their state. */
	private static final Pattern READY_PLACE = Pattern.compile("\"role\":\"(?:replica|spare)\",\"state\":\"ready\"");

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

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
	 * Starts the sample once, restarts its worker through the actuator once every place of its pool
	 * is ready, and stops it.
	 * @param jar the sample's jar
	 * @param places how many processes serve its worker (replicas and spares) with {@code arguments}
	 * @param arguments more arguments for the sample, as a user would give them
	 * @return how long its start and the restart took
	 */
	static Timing run(Path jar, int places, String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(ChildJvm.javaExecutable(), "-jar", jar.toString(),
				"--server.port=0", "--sample.rounds=1000", "--sample.traffic.rounds-per-second=0"));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		Deque<String> tail = new ArrayDeque<>();
		CompletableFuture<Timing> timing = new CompletableFuture<>();
		Thread reader = new Thread(() -> read(process, tail, timing), "sample-app-output");
		reader.setDaemon(true);
		reader.start();
		try {
			Timing started = timing.get(START_LIMIT.toSeconds(), TimeUnit.SECONDS);
			URI worker = URI.create("http://127.0.0.1:" + started.port() + "/actuator/vmworkers/countingTask");
			awaitReadyPlaces(worker, places);
			long restart = System.nanoTime();
			HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(worker)
				.header("Content-Type", "application/json")
				.timeout(START_LIMIT)
				.POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"restart\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			long restarted = System.nanoTime() - restart;
			if (answer.statusCode() != 200) {
				throw new IllegalStateException("the restart answered " + answer.statusCode() + ": " + answer.body());
			}
			return started.withRestart(restarted);
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

	/**
	 * Waits until every process of the worker's pool is ready: spares start after the replicas, and a
	 * restart that found them still starting would measure a JVM's start instead of a hand-over.
	 */
	private static void awaitReadyPlaces(URI worker, int places) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + START_LIMIT.toNanos();
		while (true) {
			String body = HTTP.send(HttpRequest.newBuilder(worker).GET().build(), HttpResponse.BodyHandlers.ofString())
				.body();
			if (READY_PLACE.matcher(body.replace(" ", "")).results().count() >= places) {
				return;
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("fewer than " + places + " ready processes: " + body);
			}
			Thread.sleep(100);
		}
	}

	private static void read(Process process, Deque<String> tail, CompletableFuture<Timing> timing) {
		Instant contextStart = null;
		Instant workerReady = null;
		Matcher times = null;
		int port = -1;
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
				Matcher listening = PORT.matcher(line);
				if (port < 0 && listening.find()) {
					port = Integer.parseInt(listening.group(1));
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
							(times.group(3) != null) ? millisToNanos(times.group(3)) : 0, port, -1));
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
	 * @param port the port its web server listens on
	 * @param restartNanos how long the actuator took to answer a restart of the worker, -1 before it
	 */
	record Timing(long contextToWorkerReadyNanos, long startedNanos, long launchToReadyNanos, long waitedNanos,
			int port, long restartNanos) {

		Timing withRestart(long nanos) {
			return new Timing(this.contextToWorkerReadyNanos, this.startedNanos, this.launchToReadyNanos,
					this.waitedNanos, this.port, nanos);
		}

	}

}
