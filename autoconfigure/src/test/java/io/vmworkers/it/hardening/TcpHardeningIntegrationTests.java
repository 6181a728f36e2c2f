package io.vmworkers.it.hardening;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.vmworkers.channel.ChannelClosedException;
import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link HardeningIntegrationTests} with every worker on the TCP transport: headers and bodies,
 * a slow handler, back-pressure on a flood nobody reads, and a worker that ends its own JVM. One
 * case differs: the kernel's socket buffers take far more than a ring, and a write they cannot
 * take waits in the kernel, so a put to a worker that reads nothing waits until the worker ends.
 */
class TcpHardeningIntegrationTests extends HardeningIntegrationTests {

	@Override
	String[] properties() {
		return new String[] { "vmworkers.workers.streamTask.transport=tcp", "vmworkers.workers.exitTask.transport=tcp",
				"vmworkers.workers.freezeTask.transport=tcp" };
	}

	@Test
	@Override
	void stoppingAWorkerThatReadsNothingTakesTheShutdownTimeoutNotTheSendTimeout() throws Exception {
		FreezeTask freezeTask = context().getBean(FreezeTask.class);
		WorkerHandle freeze = context().getBean(VmDispatcher.class).worker("freezeTask");
		long pid = freezeTask.freezeSoon();
		await().atMost(Duration.ofSeconds(10)).until(() -> processState(pid) == 'T');
		// Records with no data to credit, until the socket's buffers are full and a write waits.
		CompletableFuture<Throwable> flood = CompletableFuture.supplyAsync(() -> {
			try {
				while (true) {
					freeze.channel().put(new byte[0]);
				}
			}
			catch (RuntimeException ex) {
				return ex;
			}
		});
		long start = System.nanoTime();
		freeze.close();
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		// 1 s to ask and wait, 0.5 s between SIGTERM and SIGKILL; the send timeout is 5 s.
		assertThat(millis).isLessThan(4000);
		assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
		// The waiting put ends with the worker.
		assertThat(flood.get(10, TimeUnit.SECONDS)).isInstanceOf(ChannelClosedException.class);
	}

}
