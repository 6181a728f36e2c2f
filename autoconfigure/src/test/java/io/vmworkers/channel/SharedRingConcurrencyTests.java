package io.vmworkers.channel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several producer threads of one process share the producer's side of a ring; one consumer thread
 * reads the other side.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedRingConcurrencyTests {

	private static final int PRODUCERS = 4;

	private static final int MESSAGES_PER_PRODUCER = 50_000;

	private static final int CAPACITY = 16 * 1024;

	private static final int FRAGMENT_LIMIT = RingDescriptor.maxFragmentPayload(CAPACITY);

	private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(20);

	private final RingTestSupport files = new RingTestSupport();

	@AfterEach
	void deleteRingFiles() throws IOException {
		this.files.closeAndDeleteAll();
		assertThat(this.files.remaining()).isEmpty();
	}

	/**
	 * Mostly 0 to 300 bytes; every 500th message is larger than one fragment.
	 */
	static int length(int producer, int sequence) {
		if (sequence % 500 == 499) {
			return FRAGMENT_LIMIT + 1 + (sequence * 7 + producer * 1013) % (2 * FRAGMENT_LIMIT);
		}
		return (sequence * 31 + producer * 17) % 301;
	}

	static long key(int producer, int sequence) {
		return ((long) producer << 24) | sequence;
	}

	/**
	 * The payload: producer id (4 bytes) and sequence (4 bytes) first when it has room, then bytes
	 * derived from both.
	 */
	static byte[] payload(int producer, int sequence) {
		byte[] payload = RingTestSupport.payload(key(producer, sequence), length(producer, sequence));
		if (payload.length >= 8) {
			ByteBuffer.wrap(payload).putInt(0, producer).putInt(4, sequence);
		}
		return payload;
	}

	@Test
	void everyMessageOfConcurrentProducersArrivesOnceInOrderPerProducerAndIntact() throws Exception {
		SharedRing producerSide = this.files.create("ring", CAPACITY, SPIN_NANOS);
		SharedRing consumerSide = this.files.attach("ring", SPIN_NANOS);
		int total = PRODUCERS * MESSAGES_PER_PRODUCER;
		long[] expectedBytes = new long[1];
		for (int p = 0; p < PRODUCERS; p++) {
			for (int s = 0; s < MESSAGES_PER_PRODUCER; s++) {
				expectedBytes[0] += length(p, s);
			}
		}

		AtomicReference<Throwable> failure = new AtomicReference<>();
		int[] next = new int[PRODUCERS];
		AtomicLong received = new AtomicLong();
		SharedRing.MessageHandler check = (type, correlationId, buffer, offset, length) -> {
			int producer = (int) (correlationId >>> 24);
			int sequence = (int) (correlationId & 0xFF_FFFF);
			String problem = null;
			if (producer < 0 || producer >= PRODUCERS || type != 100 + producer) {
				problem = "unknown producer";
			}
			else if (sequence != next[producer]) {
				problem = "expected sequence " + next[producer];
			}
			else if (length != length(producer, sequence)) {
				problem = "expected length " + length(producer, sequence);
			}
			else if (!Arrays.equals(buffer, offset, offset + length, payload(producer, sequence), 0,
					length)) {
				problem = "wrong content";
			}
			if (problem != null) {
				failure.compareAndSet(null, new AssertionError(problem + ": type=" + type + " producer=" + producer
						+ " sequence=" + sequence + " length=" + length + " after " + received.get() + " messages"));
				return;
			}
			next[producer]++;
			received.incrementAndGet();
		};
		Thread consumer = new Thread(() -> {
			try {
				while (received.get() < total && failure.get() == null) {
					if (consumerSide.awaitData(TimeUnit.MILLISECONDS.toNanos(100))) {
						consumerSide.read(check, 256);
					}
				}
			}
			catch (Throwable ex) {
				failure.compareAndSet(null, ex);
			}
		}, "ring-test-consumer");
		consumer.setDaemon(true);

		CountDownLatch start = new CountDownLatch(1);
		List<Thread> producers = new ArrayList<>();
		for (int p = 0; p < PRODUCERS; p++) {
			int producer = p;
			Thread thread = new Thread(() -> {
				try {
					start.await();
					for (int s = 0; s < MESSAGES_PER_PRODUCER && failure.get() == null; s++) {
						byte[] payload = payload(producer, s);
						producerSide.write(100 + producer, key(producer, s), payload, 0, payload.length,
								TimeUnit.SECONDS.toNanos(20));
					}
				}
				catch (Throwable ex) {
					failure.compareAndSet(null, ex);
				}
			}, "ring-test-producer-" + p);
			thread.setDaemon(true);
			producers.add(thread);
			thread.start();
		}
		consumer.start();
		start.countDown();
		for (Thread producer : producers) {
			producer.join(TimeUnit.SECONDS.toMillis(50));
		}
		consumer.join(TimeUnit.SECONDS.toMillis(10));
		if (failure.get() != null) {
			throw new AssertionError("ring test failed", failure.get());
		}
		assertThat(consumer.isAlive()).isFalse();
		assertThat(received.get()).isEqualTo(total);
		assertThat(next).containsOnly(MESSAGES_PER_PRODUCER);
		assertThat(producerSide.statistics().messagesWritten()).isEqualTo(total);
		assertThat(producerSide.statistics().bytesWritten()).isEqualTo(expectedBytes[0]);
		assertThat(consumerSide.statistics().messagesRead()).isEqualTo(total);
		assertThat(consumerSide.statistics().bytesRead()).isEqualTo(expectedBytes[0]);
		assertThat(consumerSide.hasData()).isFalse();
		assertThat(consumerSide.bytesWaiting()).isZero();
	}

}
