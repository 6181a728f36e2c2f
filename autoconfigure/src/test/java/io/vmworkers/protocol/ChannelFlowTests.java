package io.vmworkers.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.vmworkers.annotation.OnData;
import io.vmworkers.channel.ChannelClosedException;
import io.vmworkers.channel.ChannelFullException;
import io.vmworkers.channel.ChannelInterruptedException;
import io.vmworkers.channel.SharedRing;
import io.vmworkers.codec.ClassAllowList;
import io.vmworkers.codec.KryoCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Two ends of a channel over real rings in one JVM: what a handler may do, and what a consumer
 * that does not keep up does to its producer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(OutputCaptureExtension.class)
class ChannelFlowTests {

	private static final int CAPACITY = 16 * 1024;

	private static final long WINDOW = Link.UNREAD_WINDOW_RINGS * CAPACITY;

	private final Path toConsumer = Path.of("/dev/shm", "vmworkers-test-flow-" + UUID.randomUUID());

	private final Path toProducer = Path.of("/dev/shm", "vmworkers-test-flow-" + UUID.randomUUID());

	private Side producer;

	private Side consumer;

	@AfterEach
	void close() throws IOException {
		for (Side side : new Side[] { this.producer, this.consumer }) {
			if (side != null) {
				side.link.close();
			}
		}
		Files.deleteIfExists(this.toConsumer);
		Files.deleteIfExists(this.toProducer);
	}

	private void connect(Object consumerTask, Duration sendTimeout) throws IOException {
		SharedRing forward = SharedRing.create(this.toConsumer, CAPACITY, 0);
		SharedRing backward = SharedRing.create(this.toProducer, CAPACITY, 0);
		this.producer = new Side("producer", SharedRing.attach(this.toProducer, 0), forward, sendTimeout, null);
		this.consumer = new Side("consumer", SharedRing.attach(this.toConsumer, 0), backward, sendTimeout,
				consumerTask);
	}

	@Test
	void handlerThatCallsNextGetsTheObjectsThatFollowItsOwn() throws IOException {
		Headers headers = new Headers();
		connect(headers, Duration.ofSeconds(5));
		headers.channel = this.consumer.end;
		this.producer.end.put(new Header(2));
		this.producer.end.put("body-1");
		this.producer.end.put("body-2");
		this.producer.end.put(new Header(1));
		this.producer.end.put("body-3");
		await().atMost(Duration.ofSeconds(20)).until(() -> headers.bodies.size() == 3);
		assertThat(headers.bodies).containsExactly("body-1", "body-2", "body-3");
		assertThat((Object) this.consumer.end.poll()).isNull();
	}

	@Test
	void creditUnderARingsWorthIsReportedOnlyWhenFlushedAndThenTheProducerSeesNothingUnconsumed()
			throws IOException {
		connect(null, Duration.ofSeconds(5));
		for (int i = 0; i < 3; i++) {
			this.producer.end.put(i);
		}
		for (int i = 0; i < 3; i++) {
			assertThat((Integer) this.consumer.end.next(Duration.ofSeconds(5))).isEqualTo(i);
		}
		// Consumed, but far less than a ring's worth: the credit is held back, as data keeps coming.
		assertThat(this.producer.link.unconsumed()).isPositive();
		this.consumer.link.flushCredit();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.producer.link.unconsumed() == 0);
		// Nothing consumed since: a flush sends nothing, and the channel goes on.
		this.consumer.link.flushCredit();
		this.producer.end.put("after");
		assertThat((String) this.consumer.end.next(Duration.ofSeconds(5))).isEqualTo("after");
	}

	@Test
	void unreadDataMakesPutWaitThenFailWithChannelFullAndLosesNothing() throws IOException {
		connect(null, Duration.ofMillis(500));
		int size = 1000;
		assertThatExceptionOfType(ChannelFullException.class).isThrownBy(() -> {
			for (int i = 0; i < 10_000; i++) {
				this.producer.end.put(array(i, size));
			}
		}).withMessageContaining("vmworkers.channel.send-timeout");
		// The consumer holds the window, and at most one message more.
		long held = this.producer.link.unconsumed();
		assertThat(held).isBetween(WINDOW, WINDOW + size);
		// Everything sent arrives, in order, once the consumer reads; then the producer goes on.
		int read = 0;
		Object next;
		while ((next = this.consumer.end.next(Duration.ofMillis(200))) != null) {
			assertThat(((byte[]) next)[0]).isEqualTo((byte) read);
			read++;
		}
		assertThat((long) read * size).isEqualTo(held);
		this.producer.end.put("after");
		assertThat((String) this.consumer.end.next(Duration.ofSeconds(5))).isEqualTo("after");
	}

	@Test
	void producerWaitingForCreditGoesOnAsTheConsumerReads() throws Exception {
		connect(null, Duration.ofSeconds(30));
		int count = 2000;
		CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
			for (int i = 0; i < count; i++) {
				this.producer.end.put(i);
			}
		});
		for (int i = 0; i < count; i++) {
			assertThat((Integer) this.consumer.end.next(Duration.ofSeconds(10))).isEqualTo(i);
		}
		producing.get(10, TimeUnit.SECONDS);
	}

	@Test
	void framesOtherThanDataAreReadWhileDataWaitsUnread() throws IOException {
		connect(null, Duration.ofMillis(300));
		assertThatExceptionOfType(ChannelFullException.class).isThrownBy(() -> {
			while (true) {
				this.producer.end.put(new byte[4096]);
			}
		});
		this.producer.link.send(Frames.RESULT, 7L, "answer");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.consumer.frames.contains("answer"));
	}

	@Test
	void interruptEndsAPutWaitingForCredit() throws Exception {
		connect(null, Duration.ofSeconds(60));
		CompletableFuture<Throwable> outcome = new CompletableFuture<>();
		Thread producer = new Thread(() -> {
			try {
				while (true) {
					this.producer.end.put(new byte[4096]);
				}
			}
			catch (Throwable ex) {
				outcome.complete(Thread.currentThread().isInterrupted() ? ex : new AssertionError("flag cleared", ex));
			}
		});
		producer.start();
		await().atMost(Duration.ofSeconds(20)).until(() -> this.producer.link.unconsumed() >= WINDOW);
		producer.interrupt();
		assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(ChannelInterruptedException.class)
			.hasMessageContaining("interrupted");
	}

	@Test
	void interruptEndsANextWaitingForData() throws Exception {
		connect(null, Duration.ofSeconds(5));
		CompletableFuture<Throwable> outcome = new CompletableFuture<>();
		Thread consumer = new Thread(() -> {
			try {
				this.consumer.end.next(Duration.ofMinutes(1));
			}
			catch (Throwable ex) {
				outcome.complete(Thread.currentThread().isInterrupted() ? ex : new AssertionError("flag cleared", ex));
			}
		});
		consumer.start();
		// Whether it is still spinning, asleep on the futex or not yet waiting: the wait ends.
		consumer.interrupt();
		assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(ChannelInterruptedException.class);
	}

	@Test
	void handlerRunningLongerThanAllowedIsReportedOnceWithWhereItIs(CapturedOutput output) throws IOException {
		Sleeper sleeper = new Sleeper();
		connect(sleeper, Duration.ofSeconds(5));
		this.producer.end.put(new Header(0));
		await().atMost(Duration.ofSeconds(10)).until(() -> sleeper.running);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			this.consumer.end.reportSlowHandler(TimeUnit.MILLISECONDS.toNanos(100));
			assertThat(output).contains("An @OnData handler of worker 'consumer' has run for")
				.contains("ChannelFlowTests$Sleeper.header");
		});
		this.consumer.end.reportSlowHandler(TimeUnit.MILLISECONDS.toNanos(100));
		assertThat(output.toString().split("An @OnData handler of worker", -1)).hasSize(2);
		sleeper.release.countDown();
	}

	@Test
	void byteBufferHandlerGetsAReadOnlyViewOfEachArray() throws IOException {
		Views views = new Views();
		connect(views, Duration.ofSeconds(5));
		this.producer.end.put(new byte[] { 1, 2 });
		this.producer.end.put(new byte[] { 3 });
		await().atMost(Duration.ofSeconds(20)).until(() -> views.received.size() == 2);
		assertThat(views.received).containsExactly("[1, 2] read-only", "[3] read-only");
	}

	private static byte[] array(int index, int size) {
		byte[] array = new byte[size];
		array[0] = (byte) index;
		return array;
	}

	/** One side: a link, its channel end, and the frames other than data it received. */
	static final class Side implements Link.FrameHandler {

		final Link link;

		final ChannelEnd end;

		final List<Object> frames = new CopyOnWriteArrayList<>();

		Side(String name, SharedRing inbound, SharedRing outbound, Duration sendTimeout, Object task) {
			KryoCodec codec = new KryoCodec(new ClassAllowList(List.of("io.vmworkers.protocol")),
					ChannelFlowTests.class.getClassLoader(), 1 << 20);
			this.link = new Link(name, inbound, outbound, codec, sendTimeout, this);
			this.end = new ChannelEnd(name, this.link::close, ChannelEnd.Links.of(this.link));
			if (task != null) {
				this.end.handlers(DataHandlers.of(task, task.getClass(), false));
			}
			this.link.start();
		}

		@Override
		public void onFrame(int type, long correlationId, Object payload) {
			this.frames.add(payload);
		}

		@Override
		public void onData(Object payload, int length) {
			this.end.arrive(payload, length, this.link, null);
		}

		@Override
		public void onUndecodable(int type, long correlationId, RuntimeException failure) {
		}

		@Override
		public void onFailed(RuntimeException failure) {
		}

	}

	record Header(int bodies) {

	}

	static class Headers {

		volatile ChannelEnd channel;

		final List<String> bodies = new CopyOnWriteArrayList<>();

		@OnData
		void header(Header header) {
			for (int i = 0; i < header.bodies(); i++) {
				this.bodies.add(this.channel.next());
			}
		}

	}

	static class Sleeper {

		final CountDownLatch release = new CountDownLatch(1);

		volatile boolean running;

		@OnData
		void header(Header header) throws InterruptedException {
			this.running = true;
			this.release.await(30, TimeUnit.SECONDS);
		}

	}

	static class Views {

		final List<String> received = new CopyOnWriteArrayList<>();

		@OnData
		void view(ByteBuffer view) {
			byte[] copy = new byte[view.remaining()];
			view.get(copy);
			this.received.add(java.util.Arrays.toString(copy) + (view.isReadOnly() ? " read-only" : ""));
		}

	}

}
