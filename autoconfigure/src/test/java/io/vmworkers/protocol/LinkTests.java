package io.vmworkers.protocol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vmworkers.channel.SharedRing;
import io.vmworkers.codec.ClassAllowList;
import io.vmworkers.codec.KryoCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one loop in which a thread waits on a channel, {@link Link#readUntil}, over real rings in one
 * JVM: it reads what it waits for itself and says why it stopped waiting.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LinkTests {

	private final Path toReader = Path.of("/dev/shm", "vmworkers-test-link-" + UUID.randomUUID());

	private final Path toSender = Path.of("/dev/shm", "vmworkers-test-link-" + UUID.randomUUID());

	private final List<Object> received = new CopyOnWriteArrayList<>();

	private Link reader;

	private Link sender;

	@BeforeEach
	void connect() throws IOException {
		KryoCodec codec = new KryoCodec(new ClassAllowList(List.of()), getClass().getClassLoader(), 1 << 16);
		SharedRing forward = SharedRing.create(this.toReader, 16 * 1024, 0);
		SharedRing backward = SharedRing.create(this.toSender, 16 * 1024, 0);
		this.reader = new Link("reader", SharedRing.attach(this.toReader, 0), backward, codec, Duration.ofSeconds(5),
				new Recorder(this.received));
		this.sender = new Link("sender", SharedRing.attach(this.toSender, 0), forward, codec, Duration.ofSeconds(5),
				new Recorder(new CopyOnWriteArrayList<>()));
		// The reader's background receiver is not started: only the waiting thread reads here.
		this.sender.start();
	}

	@AfterEach
	void close() throws IOException {
		this.reader.close();
		this.sender.close();
		Files.deleteIfExists(this.toReader);
		Files.deleteIfExists(this.toSender);
	}

	@Test
	void theWaitingThreadReadsWhatItWaitsForItself() {
		CompletableFuture.runAsync(() -> this.sender.send(Frames.RESULT, 7L, "answer"),
				CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
		Link.Wait wait = awaitReceived(Duration.ofSeconds(10));
		assertThat(wait).isEqualTo(Link.Wait.DONE);
		assertThat(this.received).containsExactly("answer");
	}

	@Test
	void aDeadlineEndsTheWaitWithNothingRead() {
		long start = System.nanoTime();
		assertThat(awaitReceived(Duration.ofMillis(30))).isEqualTo(Link.Wait.TIMED_OUT);
		assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
		assertThat(this.received).isEmpty();
	}

	@Test
	void anInterruptEndsTheWaitAndStaysSet() {
		Thread.currentThread().interrupt();
		try {
			assertThat(awaitReceived(Duration.ofSeconds(10))).isEqualTo(Link.Wait.INTERRUPTED);
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
		}
		finally {
			Thread.interrupted();
		}
	}

	@Test
	void closingTheLinkEndsTheWait() {
		CompletableFuture.runAsync(this.reader::close, CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
		assertThat(awaitReceived(Duration.ofSeconds(10))).isEqualTo(Link.Wait.CLOSED);
	}

	private Link.Wait awaitReceived(Duration timeout) {
		this.reader.enterWaiter();
		try {
			return this.reader.readUntil(() -> !this.received.isEmpty(), System.nanoTime() + timeout.toNanos(), this);
		}
		finally {
			this.reader.exitWaiter();
		}
	}

	/** Keeps the payloads of the frames a link reads. */
	private record Recorder(List<Object> payloads) implements Link.FrameHandler {

		@Override
		public void onFrame(int type, long correlationId, Object payload) {
			this.payloads.add(payload);
		}

		@Override
		public void onData(Object payload, int length) {
			this.payloads.add(payload);
		}

		@Override
		public void onUndecodable(int type, long correlationId, RuntimeException failure) {
		}

		@Override
		public void onFailed(RuntimeException failure) {
		}

	}

}
