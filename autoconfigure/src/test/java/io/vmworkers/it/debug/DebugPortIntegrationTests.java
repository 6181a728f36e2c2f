package io.vmworkers.it.debug;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.vmworkers.actuate.VmWorkersEndpoint;
import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(OutputCaptureExtension.class)
class DebugPortIntegrationTests {

	@Test
	void workerWithPortZeroReportsAPortThatAnswersJdwpWhileItServesAndANewOneAfterARestart() throws Exception {
		ConfigurableApplicationContext context = Workers.start(DebugApplication.class,
				"vmworkers.workers.debuggedTask.debug.port=0", "spring.jmx.enabled=true",
				"management.endpoints.jmx.exposure.include=vmworkers");
		try {
			DebuggedTask task = context.getBean(DebuggedTask.class);
			WorkerHandle handle = context.getBean(VmDispatcher.class).worker("debuggedTask");
			// Known once the context has started: the JVM says it before the worker is ready.
			int port = handle.debugPort();
			assertThat(port).isPositive();
			try (Jdwp debugger = Jdwp.attach(port)) {
				assertThat(task.inc(41)).isEqualTo(42);
			}
			assertThat(task.inc(1)).isEqualTo(2);
			assertThat(context.getBean(VmWorkersEndpoint.class).worker("debuggedTask").debugPort()).isEqualTo(port);
			long firstPid = task.pid();
			handle.restart();
			assertThat(task.pid()).isNotEqualTo(firstPid);
			await().atMost(Duration.ofSeconds(10)).until(() -> handle.debugPort() > 0);
			try (Jdwp debugger = Jdwp.attach(handle.debugPort())) {
				assertThat(task.inc(2)).isEqualTo(3);
			}
		}
		finally {
			Workers.closeAndCheckNothingLeft(context);
		}
	}

	@Test
	void workerWithoutPortReportsNoneAndForwardsNoJvmWarning(CapturedOutput output) {
		ConfigurableApplicationContext context = Workers.start(DebugApplication.class);
		try {
			assertThat(context.getBean(VmDispatcher.class).worker("debuggedTask").debugPort()).isEqualTo(-1);
			assertThat(context.getBean(DebuggedTask.class).inc(1)).isEqualTo(2);
			assertThat(output.getAll()).contains("Worker 'debuggedTask' ready");
			// On Java 22+ jnr-posix's native stub and Kryo's Unsafe make the JVM warn unless the
			// worker starts with the options vmworkers adds for it: none is forwarded.
			assertThat(output.getAll()).doesNotContain("[debuggedTask] WARNING:");
		}
		finally {
			Workers.closeAndCheckNothingLeft(context);
		}
	}

	@Test
	void suspendedWorkerWaitsPastItsStartupTimeoutForItsDebugger() throws Exception {
		int port = freePort();
		CompletableFuture<ConfigurableApplicationContext> starting = CompletableFuture
			.supplyAsync(() -> Workers.start(DebugApplication.class, "vmworkers.workers.debuggedTask.debug.port=" + port,
					"vmworkers.workers.debuggedTask.debug.suspend=true", "vmworkers.startup-timeout=1s"));
		ConfigurableApplicationContext context = null;
		try {
			// Not by connecting: a debugger that leaves resumes the worker.
			await().atMost(Duration.ofSeconds(30)).until(() -> listening(port));
			// Twice the start-up timeout: the worker is not killed while it waits.
			await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
				.until(() -> !starting.isDone() && Workers.children().size() == 1);
			try (Jdwp debugger = Jdwp.attach(port)) {
				debugger.resume();
				context = starting.get(60, TimeUnit.SECONDS);
			}
			DebuggedTask task = context.getBean(DebuggedTask.class);
			assertThat(task.inc(1)).isEqualTo(2);
			assertThat(context.getBean(VmDispatcher.class).worker("debuggedTask").debugPort()).isEqualTo(port);
		}
		finally {
			if (context == null) {
				// Ends the worker if the test failed before the context was running.
				Workers.children().forEach(ProcessHandle::destroyForcibly);
				ConfigurableApplicationContext late = starting.handle((started, ex) -> started).get(30, TimeUnit.SECONDS);
				Workers.closeAndCheckNothingLeft(late);
			}
			else {
				Workers.closeAndCheckNothingLeft(context);
			}
		}
	}

	/** Whether a socket of this machine listens on the port, as /proc/net/tcp lists them. */
	private static boolean listening(int port) throws IOException {
		String local = String.format(Locale.ROOT, ":%04X ", port);
		for (String table : new String[] { "/proc/net/tcp", "/proc/net/tcp6" }) {
			Path path = Path.of(table);
			// Columns: sl local_address rem_address st ...; state 0A is LISTEN.
			if (Files.exists(path) && Files.readAllLines(path)
				.stream()
				.map(String::trim)
				.map((line) -> line.split("\\s+"))
				.anyMatch((columns) -> columns.length > 3 && (columns[1] + " ").endsWith(local)
						&& columns[3].equals("0A"))) {
				return true;
			}
		}
		return false;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
