package io.vmworkers.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.vmworkers.process.ArchiveFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the sample's executable jar as a user would ({@code java -jar}), which starts its worker
 * through Spring Boot's launcher (class data sharing off) or from the jar extracted for class data
 * sharing, then stops it with SIGTERM.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SampleJarIT {

	private final List<String> output = new CopyOnWriteArrayList<>();

	private Process app;

	@AfterEach
	void kill() throws InterruptedException {
		if (this.app != null && this.app.isAlive()) {
			this.app.descendants().forEach(ProcessHandle::destroyForcibly);
			this.app.destroyForcibly();
			this.app.waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void executableJarCountsWithItsWorkerAndStopsCleanly() throws Exception {
		start("--vmworkers.cds.enabled=false");
		await().atMost(Duration.ofSeconds(120))
			.until(() -> this.output.stream().anyMatch((line) -> line.startsWith("Counted 2000 rounds")));
		assertThat(this.output).anyMatch((line) -> line.contains("[countingTask]") && line.contains("Hello from the worker"));
		assertThat(this.output).anyMatch((line) -> line.contains("[countingTask] worker") && line.contains("got 0"));
		assertThat(this.output).anyMatch((line) -> line.startsWith("master ") && line.contains(" got 1"));
		await().atMost(Duration.ofSeconds(120))
			.until(() -> this.output.stream().anyMatch((line) -> line.startsWith("Counted 283146 primes")));
		// The batch was spread over both replicas: "ranges per worker pid: {pid1=n, pid2=m}".
		assertThat(this.output).anyMatch((line) -> line.startsWith("Counted 283146 primes") && line.matches(".*\\{\\d+=\\d+, \\d+=\\d+}$"));
		List<ProcessHandle> workers = this.app.children().toList();
		assertThat(workers).hasSize(2);
		for (ProcessHandle worker : workers) {
			assertThat(worker.info().commandLine().orElse("")).contains("-Dvmworkers.role=worker")
				.contains("org.springframework.boot.loader.launch.PropertiesLauncher");
		}
		// The master's run directory and each replica's two ring files in it.
		assertThat(leftovers(this.app.pid())).hasSize(5);
		this.app.destroy();
		assertThat(this.app.waitFor(60, TimeUnit.SECONDS)).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> workers.stream().noneMatch(ProcessHandle::isAlive));
		assertThat(leftovers(this.app.pid())).isEmpty();
	}

	@Test
	void secondRunStartsItsWorkerFromTheArchiveTheFirstWrote() throws Exception {
		Path cache = Path.of("target", "cds-it").toAbsolutePath();
		deleteTree(cache);
		Path classes = Path.of("target", "cds-it-classes.log").toAbsolutePath();
		// One replica: the first run's worker writes the archive, the second run's maps it.
		String[] arguments = { "--vmworkers.cds.directory=" + cache, "--vmworkers.shutdown-timeout=90s",
				"--vmworkers.workers.countingTask.replicas=1",
				"--vmworkers.workers.countingTask.jvm-options=-Xmx64m,-XX:TieredStopAtLevel=1,-Xlog:class+load=info:file="
						+ classes };
		start(arguments);
		await().atMost(Duration.ofSeconds(120))
			.until(() -> this.output.stream().anyMatch((line) -> line.startsWith("Counted 2000 rounds")));
		assertThat(this.output).anyMatch((line) -> line.contains("Extracted " + Path.of(System.getProperty("sample.jar")).getFileName()));
		String training = this.app.children().toList().get(0).info().commandLine().orElse("");
		// Java 25 and later write an ahead-of-time cache, earlier ones a dynamic archive.
		ArchiveFormat format = ArchiveFormat.forRelease(Runtime.version().feature());
		assertThat(training).contains(format.writeOption() + cache).doesNotContain("PropertiesLauncher");
		stop();
		// The worker wrote the archive at its exit, and the master published it under its final name.
		try (Stream<Path> files = Files.list(cache)) {
			List<String> names = files.map((file) -> file.getFileName().toString()).toList();
			assertThat(names).hasSize(2).noneMatch((name) -> name.contains("training"));
			assertThat(names).anyMatch((name) -> name.matches("[0-9a-f]{32}\\" + format.suffix()));
		}
		this.output.clear();
		start(arguments);
		await().atMost(Duration.ofSeconds(120))
			.until(() -> this.output.stream().anyMatch((line) -> line.startsWith("Counted 2000 rounds")));
		assertThat(this.app.children().toList().get(0).info().commandLine().orElse(""))
			.contains(format.useOption() + cache);
		assertThat(Files.readString(classes)).contains("io.vmworkers.sample.CountingTask source: shared objects file");
		assertThat(this.output).noneMatch((line) -> line.contains("Extracted "));
		stop();
	}

	@Test
	void debuggedWorkerOfTheJarStartsWithoutWritingAnArchiveAndAnswersItsDebugger() throws Exception {
		// A fresh archive directory: without the debugger, the worker would write the archive.
		Path cache = Path.of("target", "cds-debug-it").toAbsolutePath();
		deleteTree(cache);
		start("--vmworkers.cds.directory=" + cache, "--vmworkers.workers.countingTask.replicas=1",
				"--vmworkers.workers.countingTask.debug.port=0");
		await().atMost(Duration.ofSeconds(120))
			.until(() -> this.output.stream().anyMatch((line) -> line.startsWith("Counted 2000 rounds")));
		Pattern listening = Pattern.compile("Worker 'countingTask' listens for a debugger on 127\\.0\\.0\\.1:(\\d+)");
		int port = this.output.stream()
			.map(listening::matcher)
			.filter(Matcher::find)
			.map((matcher) -> Integer.parseInt(matcher.group(1)))
			.findFirst()
			.orElseThrow();
		assertThat(this.output).anyMatch((line) -> line.contains("Workers start without class data sharing")
				&& line.contains("-agentlib:jdwp"));
		try (Socket debugger = new Socket(InetAddress.getLoopbackAddress(), port)) {
			debugger.setSoTimeout(10_000);
			byte[] handshake = "JDWP-Handshake".getBytes(StandardCharsets.US_ASCII);
			debugger.getOutputStream().write(handshake);
			assertThat(debugger.getInputStream().readNBytes(handshake.length)).isEqualTo(handshake);
		}
		stop();
	}

	private void start(String... arguments) throws IOException {
		Path jar = Path.of(System.getProperty("sample.jar"));
		assertThat(jar).exists();
		List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "--server.port=0", "--sample.rounds=2000"));
		String workerOptions = "--vmworkers.workers.countingTask.jvm-options=";
		if (Stream.of(arguments).noneMatch((argument) -> argument.startsWith(workerOptions))) {
			command.add(workerOptions + "-Xmx64m,-XX:TieredStopAtLevel=1");
		}
		command.addAll(List.of(arguments));
		this.app = new ProcessBuilder(command).redirectErrorStream(true).start();
		Thread reader = new Thread(this::read);
		reader.setDaemon(true);
		reader.start();
	}

	private void stop() throws InterruptedException {
		ProcessHandle worker = this.app.children().findFirst().orElseThrow();
		this.app.destroy();
		assertThat(this.app.waitFor(120, TimeUnit.SECONDS)).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> !worker.isAlive());
	}

	private static void deleteTree(Path root) throws IOException {
		if (Files.exists(root)) {
			try (Stream<Path> paths = Files.walk(root)) {
				for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
					Files.delete(path);
				}
			}
		}
	}

	private void read() {
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(this.app.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = lines.readLine()) != null) {
				this.output.add(line);
			}
		}
		catch (IOException ex) {
			// The app ended: the test looks at what was read.
		}
	}

	private static List<Path> leftovers(long masterPid) throws IOException {
		List<Path> found = new java.util.ArrayList<>();
		try (Stream<Path> entries = Files.list(Path.of("/dev/shm"))) {
			for (Path entry : entries.filter((path) -> path.getFileName().toString().startsWith("vmworkers-" + masterPid + "-"))
				.toList()) {
				found.add(entry);
				if (Files.isDirectory(entry)) {
					try (Stream<Path> files = Files.list(entry)) {
						files.forEach(found::add);
					}
				}
			}
		}
		return found;
	}

}
