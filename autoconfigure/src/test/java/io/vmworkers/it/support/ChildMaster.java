package io.vmworkers.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A master run as a JVM of its own, so that a test can kill it or give it an environment: its
 * output is collected line by line, and its main is expected to print {@code WORKER-PID <pid>}
 * once its worker answers.
 */
public final class ChildMaster implements AutoCloseable {

	private final Process process;

	private final List<String> output = new CopyOnWriteArrayList<>();

	private ChildMaster(Process process) {
		this.process = process;
		Thread reader = new Thread(this::read, "child-master-output");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Starts a master with the test's class path, small heap and the workers' small JVM options.
	 * @param mainClass the application's main class
	 * @param systemProperties {@code -D} options, before the main class
	 * @param arguments the application's arguments, after the standard ones
	 * @param environment variables added to the test's environment
	 * @return the running master
	 * @throws IOException when it cannot be started
	 */
	public static ChildMaster start(Class<?> mainClass, List<String> systemProperties, List<String> arguments,
			Map<String, String> environment) throws IOException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
		command.addAll(systemProperties);
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName(),
				"--spring.main.web-application-type=none", "--spring.main.banner-mode=off", "--" + Workers.JVM_OPTIONS));
		command.addAll(arguments);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().putAll(environment);
		return new ChildMaster(builder.start());
	}

	private void read() {
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = lines.readLine()) != null) {
				this.output.add(line);
			}
		}
		catch (IOException ex) {
			// The master died: the test looks at what was read.
		}
	}

	public Process process() {
		return this.process;
	}

	public List<String> output() {
		return this.output;
	}

	/**
	 * Returns the first line of the master's output that contains a marker.
	 * @param marker the text to look for
	 * @return the line, if printed yet
	 */
	public Optional<String> line(String marker) {
		return this.output.stream().filter((line) -> line.contains(marker)).findFirst();
	}

	/**
	 * Waits for the {@code WORKER-PID} line, failing with the master's output if it ends first.
	 * @return the worker's pid
	 */
	public long awaitWorkerPid() {
		await().atMost(Duration.ofSeconds(90)).until(() -> line("WORKER-PID ").isPresent() || !this.process.isAlive());
		assertThat(line("WORKER-PID ")).as(() -> String.join("\n", this.output)).isPresent();
		return Long.parseLong(line("WORKER-PID ").get().replaceAll(".*WORKER-PID ", "").trim());
	}

	/** Kills the master and whatever it left running. */
	@Override
	public void close() throws InterruptedException {
		this.process.descendants().forEach(ProcessHandle::destroyForcibly);
		this.process.destroyForcibly();
		this.process.waitFor(10, TimeUnit.SECONDS);
	}

}
