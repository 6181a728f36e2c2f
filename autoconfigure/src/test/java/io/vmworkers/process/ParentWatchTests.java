package io.vmworkers.process;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ParentWatchTests {

	@Test
	void masterWhosePidRunsWithAnotherStartTickCountIsGone() throws Exception {
		long start = ProcessStart.ofCurrent().orElseThrow();
		CountDownLatch fired = new CountDownLatch(1);
		ParentWatch watch = ParentWatch.start(ProcessHandle.current().pid(), start - 1, silentPipe(), fired::countDown);
		assertThat(watch.isMasterAlive()).isFalse();
		assertThat(fired.await(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void masterWhosePidRunsWithItsStartTickCountIsAlive() throws Exception {
		long start = ProcessStart.ofCurrent().orElseThrow();
		CountDownLatch fired = new CountDownLatch(1);
		ParentWatch watch = ParentWatch.start(ProcessHandle.current().pid(), start, silentPipe(), fired::countDown);
		assertThat(watch.isMasterAlive()).isTrue();
		// The pid is checked as the watch starts: a wrong verdict would have fired by now.
		assertThat(fired.await(300, TimeUnit.MILLISECONDS)).isFalse();
	}

	@Test
	void masterWithAnUnknownStartIsAliveWhileItsPidIs() throws Exception {
		CountDownLatch fired = new CountDownLatch(1);
		ParentWatch watch = ParentWatch.start(ProcessHandle.current().pid(), null, silentPipe(), fired::countDown);
		assertThat(watch.isMasterAlive()).isTrue();
		assertThat(fired.await(300, TimeUnit.MILLISECONDS)).isFalse();
	}

	/** A pipe whose writer never writes nor closes, as a live master's. */
	private static PipedInputStream silentPipe() throws Exception {
		return new PipedInputStream(new PipedOutputStream());
	}

}
