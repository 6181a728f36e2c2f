package io.vmworkers.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerProcessTests {

	@Test
	void exitIsSeenWhileTheCommonPoolIsHeldByBlockedTasks() throws Exception {
		// A parallel stream or async tasks blocked on the worker itself: its death must still be seen.
		CountDownLatch release = new CountDownLatch(1);
		List<CompletableFuture<Void>> blocked = new ArrayList<>();
		for (int i = 0; i < ForkJoinPool.getCommonPoolParallelism() + 1; i++) {
			blocked.add(CompletableFuture.runAsync(() -> {
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}, ForkJoinPool.commonPool()));
		}
		try {
			WorkerProcess process = WorkerProcess.start("sleeper", new ProcessBuilder("sleep", "60"),
					(name, error, line) -> {
					});
			process.kill();
			assertThat(process.onExit()).succeedsWithin(Duration.ofSeconds(10));
		}
		finally {
			release.countDown();
		}
		CompletableFuture.allOf(blocked.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
	}

	@Test
	void debuggerPortIsReadFromTheJvmsListeningLine() {
		assertThat(WorkerProcess.listeningPort("Listening for transport dt_socket at address: 40123")).isEqualTo(40123);
		assertThat(WorkerProcess.listeningPort("Listening for transport dt_socket at address: 127.0.0.1:5005"))
			.isEqualTo(5005);
		assertThat(WorkerProcess.listeningPort("INFO started in 1.2 s")).isEqualTo(-1);
	}

	@Test
	void exitCodesAreDescribedWithSignalNames() {
		assertThat(WorkerProcess.describeExitCode(0)).isEqualTo("exit code 0");
		assertThat(WorkerProcess.describeExitCode(2)).isEqualTo("exit code 2");
		assertThat(WorkerProcess.describeExitCode(137)).isEqualTo("exit code 137 (SIGKILL, signal 9)");
		assertThat(WorkerProcess.describeExitCode(143)).isEqualTo("exit code 143 (SIGTERM, signal 15)");
	}

	@Test
	void outputLinesReachListenerAndTailIsKept() throws Exception {
		List<String> lines = new CopyOnWriteArrayList<>();
		ProcessBuilder builder = new ProcessBuilder("sh", "-c",
				"for i in $(seq 1 60); do echo line$i; done; echo oops >&2; exit 7");
		WorkerProcess process = WorkerProcess.start("shell", builder,
				(name, error, line) -> lines.add(name + (error ? " err " : " out ") + line));
		assertThat(process.awaitExit(Duration.ofSeconds(30))).isTrue();
		assertThat(process.exitCode()).isEqualTo(7);
		List<String> tail = process.outputTail();
		// stdout and stderr are copied by two threads: where "oops" lands among the last lines varies.
		assertThat(tail).hasSize(WorkerProcess.TAIL_LINES).contains("line60").doesNotContain("line1");
		assertThat(lines).contains("shell out line1", "shell err oops");
		assertThat(process.describeExit()).isEqualTo("exit code 7");
	}

	@Test
	void terminateEndsAProcessThatIgnoresSigterm() throws InterruptedException {
		ProcessBuilder builder = new ProcessBuilder("sh", "-c",
				"trap '' TERM; echo ignoring; while true; do sleep 0.1; done");
		java.util.concurrent.CountDownLatch ignoring = new java.util.concurrent.CountDownLatch(1);
		WorkerProcess process;
		try {
			process = WorkerProcess.start("stubborn", builder, (name, error, line) -> {
				if (line.equals("ignoring")) {
					ignoring.countDown();
				}
			});
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
		// A SIGTERM sent before the shell set its trap would end it at once (exit code 143).
		assertThat(ignoring.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
		assertThat(process.terminate(Duration.ofMillis(300))).isTrue();
		assertThat(process.isAlive()).isFalse();
		assertThat(process.exitCode()).isEqualTo(137);
	}

	@Test
	void parentWatchFiresOnEndOfInput() throws Exception {
		java.io.PipedOutputStream master = new java.io.PipedOutputStream();
		java.io.PipedInputStream input = new java.io.PipedInputStream(master);
		java.util.concurrent.CountDownLatch fired = new java.util.concurrent.CountDownLatch(1);
		ParentWatch.start(ProcessHandle.current().pid(), null, input, fired::countDown);
		assertThat(fired.await(300, TimeUnit.MILLISECONDS)).isFalse();
		master.close();
		assertThat(fired.await(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void parentWatchFiresWhenMasterPidIsGone() throws Exception {
		Process shortLived = new ProcessBuilder("true").start();
		shortLived.waitFor();
		java.util.concurrent.CountDownLatch fired = new java.util.concurrent.CountDownLatch(1);
		ParentWatch.start(shortLived.pid(), null, new java.io.PipedInputStream(new java.io.PipedOutputStream()),
				fired::countDown);
		assertThat(fired.await(10, TimeUnit.SECONDS)).isTrue();
	}

}
