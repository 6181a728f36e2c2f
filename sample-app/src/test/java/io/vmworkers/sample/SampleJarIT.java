package io.vmworkers.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the sample's executable jar as a user would ({@code java -jar}), which starts its worker
 * through Spring Boot's launcher, then stops it with SIGTERM.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
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
		Path jar = Path.of(System.getProperty("sample.jar"));
		assertThat(jar).exists();
		this.app = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
				"-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "--server.port=0", "--sample.rounds=2000",
				"--vmworkers.workers.countingTask.jvm-options=-Xmx64m,-XX:TieredStopAtLevel=1")
			.redirectErrorStream(true)
			.start();
		Thread reader = new Thread(this::read);
		reader.setDaemon(true);
		reader.start();
		await().atMost(Duration.ofSeconds(120))
			.until(() -> this.output.stream().anyMatch((line) -> line.startsWith("Counted 2000 rounds")));
		assertThat(this.output).anyMatch((line) -> line.contains("[countingTask]") && line.contains("Hello from the worker"));
		assertThat(this.output).anyMatch((line) -> line.contains("[countingTask] worker") && line.contains("got 0"));
		assertThat(this.output).anyMatch((line) -> line.startsWith("master ") && line.contains(" got 1"));
		List<ProcessHandle> workers = this.app.children().toList();
		assertThat(workers).hasSize(1);
		String workerCommand = workers.get(0).info().commandLine().orElse("");
		assertThat(workerCommand).contains("-Dvmworkers.role=worker")
			.contains("org.springframework.boot.loader.launch.PropertiesLauncher");
		// The master's run directory and the worker's two ring files in it.
		assertThat(leftovers(this.app.pid())).hasSize(3);
		ProcessHandle worker = workers.get(0);
		this.app.destroy();
		assertThat(this.app.waitFor(60, TimeUnit.SECONDS)).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> !worker.isAlive());
		assertThat(leftovers(this.app.pid())).isEmpty();
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
