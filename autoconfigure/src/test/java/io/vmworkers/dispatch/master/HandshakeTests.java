package io.vmworkers.dispatch.master;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.vmworkers.channel.SharedRing;
import io.vmworkers.codec.ClassAllowList;
import io.vmworkers.codec.KryoCodec;
import io.vmworkers.dispatch.PoolSettings;
import io.vmworkers.dispatch.RestartPolicy;
import io.vmworkers.dispatch.WorkerContext;
import io.vmworkers.dispatch.WorkerSettings;
import io.vmworkers.dispatch.WorkerStartupException;
import io.vmworkers.protocol.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Another process that opens a worker's channel and announces itself first is refused: only the
 * process the master started knows the token.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandshakeTests {

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

	@TempDir
	Path pauseDirectory;

	@AfterEach
	void shutdown() {
		this.scheduler.shutdownNow();
	}

	@Test
	void impostorAnnouncingReadyWithoutTheTokenIsRefusedAndTheWorkerKilled() throws Exception {
		// The started JVM waits at start-up until this file is removed, so the impostor speaks first.
		Path pause = Files.createFile(this.pauseDirectory.resolve("paused"));
		WorkerSettings settings = new WorkerSettings(Path.of("/dev/shm"), 64 * 1024, Duration.ofSeconds(5),
				Duration.ZERO, List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+PauseAtStartup",
						"-XX:PauseAtStartupFile=" + pause, "-Xmx32m"),
				false, Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ZERO, Duration.ofSeconds(10),
				RestartPolicy.NEVER, null, WorkerContext.APPLICATION);
		KryoCodec codec = new KryoCodec(new ClassAllowList(List.of()), getClass().getClassLoader(), 1 << 20);
		WorkerLauncher launcher = new WorkerLauncher(
				new LaunchPlan(Object.class.getName(), List.of(), List.of(), List.of(), null, Map.of()),
				(name, error, line) -> {
				});
		WorkerPool worker = new WorkerPool("impostorTest", Object.class, settings, PoolSettings.SINGLE, launcher, codec,
				this.scheduler);
		Path run = io.vmworkers.channel.ChannelFiles.runDirectory(Path.of("/dev/shm"), ProcessHandle.current());
		io.vmworkers.channel.ChannelFiles.createRunDirectory(run);
		worker.launch();
		try {
			Path fromWorker = channelFile(".w2m");
			long startedPid = worker.pid();
			SharedRing ring = SharedRing.attach(fromWorker, 0);
			codec.encode("not-the-token",
					(buffer, length) -> ring.write(Frames.READY, startedPid, buffer, 0, length, TimeUnit.SECONDS.toNanos(5)));
			assertThatExceptionOfType(WorkerStartupException.class).isThrownBy(worker::awaitReady)
				.withMessageContaining("failed the handshake");
			await().atMost(Duration.ofSeconds(10)).until(() -> !ProcessHandle.of(startedPid).map(ProcessHandle::isAlive).orElse(false));
		}
		finally {
			worker.close();
			Files.deleteIfExists(pause);
			io.vmworkers.channel.ChannelFiles.deleteIfEmpty(run);
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(channelFiles()).isEmpty());
	}

	private static Path channelFile(String suffix) {
		return channelFiles().stream().filter((file) -> file.toString().endsWith(suffix)).findFirst().orElseThrow();
	}

	private static List<Path> channelFiles() {
		Path run = io.vmworkers.channel.ChannelFiles.runDirectory(Path.of("/dev/shm"), ProcessHandle.current());
		if (!Files.isDirectory(run)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(run)) {
			return files.filter((file) -> file.getFileName().toString().startsWith("impostorTest-")).toList();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
