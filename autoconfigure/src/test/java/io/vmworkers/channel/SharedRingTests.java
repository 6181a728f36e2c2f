package io.vmworkers.channel;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import io.vmworkers.channel.RingTestSupport.Message;
import io.vmworkers.channel.RingTestSupport.Reader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * One ring mapped twice in this JVM: the created mapping is the producer's side, the attached
 * one the consumer's, as they would be in two processes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedRingTests {

	private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

	/** No spinning: every wait takes the futex path. */
	private static final long NO_SPIN = 0;

	private final RingTestSupport files = new RingTestSupport();

	private final ExecutorService threads = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "ring-test");
		thread.setDaemon(true);
		return thread;
	});

	@AfterEach
	void deleteRingFiles() throws IOException {
		this.files.closeAndDeleteAll();
		this.threads.shutdownNow();
		assertThat(this.files.remaining()).isEmpty();
	}

	@Test
	void deliversTypeCorrelationIdAndPayload() throws IOException {
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		byte[] source = new byte[40];
		for (int i = 0; i < source.length; i++) {
			source[i] = (byte) (i + 1);
		}
		producer.write(7, 0x9ABC_DEF0L, source, 3, 29, SECOND);
		producer.write(0xFFFE, RingDescriptor.MAX_CORRELATION_ID, source, 0, 1, SECOND);
		List<Message> messages = RingTestSupport.drain(consumer);
		assertThat(messages).hasSize(2);
		assertThat(messages.get(0).type()).isEqualTo(7);
		assertThat(messages.get(0).correlationId()).isEqualTo(0x9ABC_DEF0L);
		assertThat(messages.get(0).payload()).containsExactly(Arrays.copyOfRange(source, 3, 32));
		assertThat(messages.get(1).type()).isEqualTo(0xFFFE);
		assertThat(messages.get(1).correlationId()).isEqualTo(RingDescriptor.MAX_CORRELATION_ID);
		assertThat(messages.get(1).payload()).containsExactly(1);
		assertThat(consumer.hasData()).isFalse();
		assertThat(consumer.bytesWaiting()).isZero();
	}

	@Test
	void keptMessagesStayIntactWhileTheRingReadsOn() throws Exception {
		SharedRing producer = this.files.create("ring", 64 * 1024, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		byte[] first = RingTestSupport.payload(1, 3000);
		byte[] second = RingTestSupport.payload(2, 3000);
		byte[] fragmented = RingTestSupport.payload(3, 100_000);
		producer.write(1, 1L, first, 0, first.length, SECOND);
		producer.write(1, 2L, second, 0, second.length, SECOND);
		List<byte[]> kept = new ArrayList<>();
		List<Boolean> sameArray = new ArrayList<>();
		SharedRing.MessageHandler keeper = (type, id, buffer, offset, length) -> {
			byte[] mine = consumer.keep(buffer, offset, length);
			sameArray.add(mine == buffer);
			kept.add(mine);
		};
		assertThat(consumer.read(keeper, 10)).isEqualTo(2);
		Thread writer = new Thread(() -> producer.write(1, 3L, fragmented, 0, fragmented.length, 10 * SECOND));
		writer.start();
		while (kept.size() < 3) {
			consumer.awaitData(SECOND);
			consumer.read(keeper, 10);
		}
		writer.join();
		assertThat(kept.get(0)).containsExactly(first);
		assertThat(kept.get(1)).containsExactly(second);
		assertThat(kept.get(2)).containsExactly(fragmented);
		// The first message filled the ring's buffer exactly: handed over, and a new buffer took the second.
		assertThat(sameArray.get(0)).isTrue();
		assertThat(kept.get(0)).isNotSameAs(kept.get(1));
	}

	@Test
	void whileAReaderSpinsToReadTheProducerLeavesSleepersAsleepAndTheReaderHandsOverWhatItLeaves()
			throws Exception {
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		MappedByteBuffer raw = RingTestSupport.mapRaw(producer.file());
		CompletableFuture<Boolean> sleeper = sleepOn(consumer, raw);
		int sequence = RingTestSupport.intVolatile(raw, RingDescriptor.DATA_SEQUENCE_OFFSET);
		long lastWake = producer.lastWakeNanos();
		// A reader spins (it would spin 30 s) while the sleeper sleeps: the record wakes nobody.
		CompletableFuture<Boolean> reader = CompletableFuture
			.supplyAsync(() -> consumer.awaitDataToRead(30 * SECOND, 30 * SECOND), this.threads);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> RingTestSupport.intVolatile(raw, RingDescriptor.CONSUMER_READING_OFFSET) == 1);
		producer.write(1, 1L, new byte[8], 0, 8, SECOND);
		assertThat(reader.get(10, TimeUnit.SECONDS)).isTrue();
		// Cleared by a release store on the reader's own mapping of the file, seen here through another.
		await().atMost(Duration.ofSeconds(5))
			.until(() -> RingTestSupport.intVolatile(raw, RingDescriptor.CONSUMER_READING_OFFSET) == 0);
		assertThat(RingTestSupport.intVolatile(raw, RingDescriptor.DATA_SEQUENCE_OFFSET)).isEqualTo(sequence);
		assertThat(producer.lastWakeNanos()).isEqualTo(lastWake);
		// The reader read everything: nothing to hand over, the sleeper sleeps on.
		assertThat(RingTestSupport.drain(consumer)).hasSize(1);
		consumer.wakeSleepersIfUnread();
		assertThat(RingTestSupport.intVolatile(raw, RingDescriptor.DATA_SEQUENCE_OFFSET)).isEqualTo(sequence);
		// A reader stops with a record left: the sleeper is woken for it. The reader announces
		// itself (a wait that times out at once), and its flag is then held by hand so that both
		// records land while it "spins".
		assertThat(consumer.awaitDataToRead(0, 0)).isFalse();
		RingTestSupport.writeNativeInt(producer.file(), RingDescriptor.CONSUMER_READING_OFFSET, 1);
		producer.write(1, 2L, new byte[8], 0, 8, SECOND);
		producer.write(1, 3L, new byte[8], 0, 8, SECOND);
		assertThat(RingTestSupport.intVolatile(raw, RingDescriptor.DATA_SEQUENCE_OFFSET)).isEqualTo(sequence);
		RingTestSupport.writeNativeInt(producer.file(), RingDescriptor.CONSUMER_READING_OFFSET, 0);
		assertThat(consumer.read((type, id, buffer, offset, length) -> {
		}, 1)).isEqualTo(1);
		consumer.wakeSleepersIfUnread();
		assertThat(RingTestSupport.intVolatile(raw, RingDescriptor.DATA_SEQUENCE_OFFSET)).isEqualTo(sequence + 1);
		assertThat(sleeper.get(10, TimeUnit.SECONDS)).isTrue();
		assertThat(RingTestSupport.drain(consumer)).extracting(Message::correlationId).containsExactly(3L);
	}

	/** A thread of the consumer that sleeps on the ring (it does not read), once it is asleep. */
	private CompletableFuture<Boolean> sleepOn(SharedRing consumer, MappedByteBuffer raw) {
		CompletableFuture<Boolean> sleeper = CompletableFuture.supplyAsync(() -> consumer.awaitData(30 * SECOND),
				this.threads);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> RingTestSupport.intVolatile(raw, RingDescriptor.CONSUMER_WAITING_OFFSET) == 1);
		return sleeper;
	}

	@Test
	void aReaderThatStopsSpinningToSleepIsWokenLikeAnySleeper() throws Exception {
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		MappedByteBuffer raw = RingTestSupport.mapRaw(producer.file());
		CompletableFuture<Boolean> sleeper = sleepOn(consumer, raw);
		// No spin: the reader announces itself, then sleeps beside the other sleeper.
		CompletableFuture<Boolean> reader = CompletableFuture
			.supplyAsync(() -> consumer.awaitDataToRead(30 * SECOND, 0), this.threads);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> RingTestSupport.intVolatile(raw, RingDescriptor.CONSUMER_WAITING_OFFSET) == 2);
		assertThat(RingTestSupport.intVolatile(raw, RingDescriptor.CONSUMER_READING_OFFSET)).isZero();
		long lastWake = producer.lastWakeNanos();
		producer.write(1, 1L, new byte[8], 0, 8, SECOND);
		assertThat(producer.lastWakeNanos()).isNotEqualTo(lastWake);
		assertThat(reader.get(10, TimeUnit.SECONDS)).isTrue();
		assertThat(sleeper.get(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void deliversAnEmptyPayload() throws IOException {
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		producer.write(3, 42L, new byte[0], 0, 0, SECOND);
		assertThat(consumer.bytesWaiting()).isEqualTo(RingDescriptor.RECORD_HEADER_LENGTH);
		List<Message> messages = RingTestSupport.drain(consumer);
		assertThat(messages).hasSize(1);
		assertThat(messages.get(0).type()).isEqualTo(3);
		assertThat(messages.get(0).correlationId()).isEqualTo(42L);
		assertThat(messages.get(0).payload()).isEmpty();
		assertThat(consumer.bytesWaiting()).isZero();
	}

	@Test
	void deliversMessagesWrittenBeforeTheConsumerAttached() throws IOException {
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		producer.write(1, 1L, RingTestSupport.payload(1, 100), 0, 100, SECOND);
		producer.write(1, 2L, RingTestSupport.payload(2, 5000), 0, 2000, SECOND);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		assertThat(consumer.capacity()).isEqualTo(4096);
		assertThat(consumer.awaitData(SECOND)).isTrue();
		List<Message> messages = RingTestSupport.drain(consumer);
		assertThat(messages).extracting(Message::correlationId).containsExactly(1L, 2L);
		assertThat(messages.get(0).payload()).containsExactly(RingTestSupport.payload(1, 100));
		assertThat(messages.get(1).payload()).containsExactly(RingTestSupport.payload(2, 2000));
	}

	@Test
	void recordsWrapAroundTheEndOfTheRingManyTimesWithOddSizes() throws IOException {
		int capacity = 4096;
		int maxPayload = RingDescriptor.maxFragmentPayload(capacity);
		SharedRing producer = this.files.create("ring", capacity, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		long sent = 0;
		long received = 0;
		int paddedBatches = 0;
		for (int batch = 0; batch < 10_000; batch++) {
			int count = 1 + batch % 2;
			long recordBytes = 0;
			for (int i = 0; i < count; i++) {
				// Odd sizes from 1 to maxPayload (the largest unfragmented record) in a scrambled order.
				int length = (int) ((sent * 131 + 17) % maxPayload) | 1;
				producer.write(5, sent, RingTestSupport.payload(sent, length), 0, length, SECOND);
				recordBytes += RingDescriptor.recordLength(length);
				sent++;
			}
			long waiting = consumer.bytesWaiting();
			assertThat(waiting).isGreaterThanOrEqualTo(recordBytes);
			if (waiting > recordBytes) {
				// A padding record filled the end of the data area.
				assertThat(waiting - recordBytes).isLessThan(RingDescriptor.recordLength(maxPayload));
				paddedBatches++;
			}
			for (Message message : RingTestSupport.drain(consumer)) {
				long expected = received++;
				assertThat(message.correlationId()).isEqualTo(expected);
				int length = (int) ((expected * 131 + 17) % maxPayload) | 1;
				assertThat(message.payload()).hasSize(length);
				assertThat(RingTestSupport.mismatch(expected, message.payload(), 0, length))
					.as("first wrong byte of message %d", expected)
					.isEqualTo(-1);
			}
			assertThat(consumer.bytesWaiting()).isZero();
		}
		assertThat(received).isEqualTo(sent);
		assertThat(paddedBatches).isGreaterThan(1000);
		assertThat(producer.statistics().bytesWritten()).isGreaterThan(1000L * capacity);
	}

	@Test
	void fragmentsAndReassemblesAMessageMuchLargerThanTheRing() throws Exception {
		int capacity = 64 * 1024;
		SharedRing producer = this.files.create("ring", capacity, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		byte[] large = new byte[8 * 1024 * 1024 + 12_345];
		new Random(20240607).nextBytes(large);
		try (Reader reader = new Reader(consumer)) {
			producer.write(9, 77L, RingTestSupport.payload(1, 10), 0, 10, SECOND);
			producer.write(10, 78L, large, 0, large.length, 10 * SECOND);
			producer.write(11, 79L, RingTestSupport.payload(3, 10), 0, 10, SECOND);
			Message before = reader.next();
			Message message = reader.next();
			Message after = reader.next();
			assertThat(before.correlationId()).isEqualTo(77L);
			assertThat(message.type()).isEqualTo(10);
			assertThat(message.correlationId()).isEqualTo(78L);
			assertThat(message.payload().length).isEqualTo(large.length);
			assertThat(Arrays.mismatch(message.payload(), large)).as("first wrong byte").isEqualTo(-1);
			assertThat(after.type()).isEqualTo(11);
			assertThat(after.payload()).containsExactly(RingTestSupport.payload(3, 10));
		}
		assertThat(consumer.statistics().messagesRead()).isEqualTo(3);
		assertThat(consumer.statistics().bytesRead()).isEqualTo(large.length + 20L);
	}

	@Test
	void deliversMessagesAroundTheFragmentLimitWhole() throws Exception {
		int capacity = 4096;
		int limit = RingDescriptor.maxFragmentPayload(capacity);
		int[] lengths = { limit - 1, limit, limit + 1, 2 * limit, 2 * limit + 1, 4 * limit, 4 * limit + 1,
				capacity, 3 * capacity + 7 };
		SharedRing producer = this.files.create("ring", capacity, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		try (Reader reader = new Reader(consumer)) {
			for (int i = 0; i < lengths.length; i++) {
				producer.write(2, i, RingTestSupport.payload(i, lengths[i]), 0, lengths[i], 10 * SECOND);
			}
			for (int i = 0; i < lengths.length; i++) {
				Message message = reader.next();
				assertThat(message.correlationId()).isEqualTo(i);
				assertThat(message.type()).isEqualTo(2);
				assertThat(message.payload()).containsExactly(RingTestSupport.payload(i, lengths[i]));
			}
		}
	}

	@Test
	void writeThrowsChannelFullExceptionWhenNobodyReadsWithinTheTimeout() throws IOException {
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		this.files.attach("ring", NO_SPIN);
		fill(producer);
		long timeout = TimeUnit.MILLISECONDS.toNanos(300);
		long start = System.nanoTime();
		Throwable thrown = catchThrowable(() -> producer.write(1, 99L, new byte[10], 0, 10, timeout));
		long elapsed = System.nanoTime() - start;
		assertThat(thrown).isInstanceOf(ChannelFullException.class).hasMessageContaining("ring full");
		assertThat(elapsed).isGreaterThanOrEqualTo(timeout / 2).isLessThan(10 * SECOND);
	}

	@Test
	void channelIsUsableAgainAfterAFullRingOnceTheReaderDrains() throws IOException {
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		fill(producer);
		assertThatExceptionOfType(ChannelFullException.class)
			.isThrownBy(() -> producer.write(1, 99L, new byte[10], 0, 10, TimeUnit.MILLISECONDS.toNanos(100)));
		assertThat(RingTestSupport.drain(consumer)).extracting(Message::correlationId).containsExactly(0L, 1L, 2L, 3L);
		producer.write(1, 100L, RingTestSupport.payload(100, 500), 0, 500, SECOND);
		producer.write(1, 101L, RingTestSupport.payload(101, 3000), 0, 3000, SECOND);
		List<Message> messages = RingTestSupport.drain(consumer);
		assertThat(messages).extracting(Message::correlationId).containsExactly(100L, 101L);
		assertThat(messages.get(0).payload()).containsExactly(RingTestSupport.payload(100, 500));
		assertThat(messages.get(1).payload()).containsExactly(RingTestSupport.payload(101, 3000));
		assertThat(producer.statistics().messagesWritten()).isEqualTo(6);
	}

	@Test
	void fragmentedMessageCutShortByAFullRingIsNeverDeliveredAndTheChannelStaysUsable() throws IOException {
		int capacity = 4096;
		int limit = RingDescriptor.maxFragmentPayload(capacity);
		SharedRing producer = this.files.create("ring", capacity, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		// Four fragments fill the ring; the fifth cannot be written.
		assertThatExceptionOfType(ChannelFullException.class).isThrownBy(() -> producer.write(1, 1L,
				RingTestSupport.payload(1, 4 * limit + 100), 0, 4 * limit + 100, TimeUnit.MILLISECONDS.toNanos(100)));
		assertThat(RingTestSupport.drain(consumer)).isEmpty();
		producer.write(1, 2L, RingTestSupport.payload(2, 30), 0, 30, SECOND);
		producer.write(1, 3L, RingTestSupport.payload(3, 2 * limit + 5), 0, 2 * limit + 5, SECOND);
		List<Message> messages = RingTestSupport.drain(consumer);
		assertThat(messages).extracting(Message::correlationId).containsExactly(2L, 3L);
		assertThat(messages.get(0).payload()).containsExactly(RingTestSupport.payload(2, 30));
		assertThat(messages.get(1).payload()).containsExactly(RingTestSupport.payload(3, 2 * limit + 5));
	}

	@Test
	void createsTheFileReadableAndWritableByItsOwnerOnly() throws IOException {
		SharedRing ring = this.files.create("ring", 8192, NO_SPIN);
		assertThat(ring.file()).isEqualTo(this.files.path("ring"));
		assertThat(Files.getPosixFilePermissions(ring.file())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
		assertThat(Files.size(ring.file())).isEqualTo(RingDescriptor.fileLength(8192));
	}

	@Test
	void createRefusesAnExistingFileAndLeavesItUntouched() throws IOException {
		Path file = this.files.path("existing");
		byte[] content = "someone else's ring".getBytes(StandardCharsets.US_ASCII);
		Files.write(file, content, StandardOpenOption.CREATE_NEW);
		assertThatIOException().isThrownBy(() -> SharedRing.create(file, 4096, NO_SPIN))
			.isInstanceOf(FileAlreadyExistsException.class);
		assertThat(file).exists();
		assertThat(Files.readAllBytes(file)).containsExactly(content);
	}

	@Test
	void createRefusesTheFileOfALiveRingAndLeavesItUsable() throws IOException {
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		assertThatIOException().isThrownBy(() -> SharedRing.create(producer.file(), 4096, NO_SPIN));
		assertThat(producer.file()).exists();
		producer.write(1, 5L, new byte[3], 0, 3, SECOND);
		assertThat(RingTestSupport.drain(consumer)).extracting(Message::correlationId).containsExactly(5L);
		assertThat(this.files.attach("ring", NO_SPIN).capacity()).isEqualTo(4096);
	}

	@Test
	void attachRefusesAFileWithoutTheMagic() throws IOException {
		SharedRing ring = this.files.create("ring", 4096, NO_SPIN);
		RingTestSupport.writeNativeInt(ring.file(), RingDescriptor.MAGIC_OFFSET, 0xDEADBEEF);
		assertThatIOException().isThrownBy(() -> SharedRing.attach(ring.file(), NO_SPIN))
			.withMessageContaining("not a vmworkers ring")
			.withMessageContaining("magic=0xdeadbeef");
	}

	@Test
	void attachRefusesAFileNotCompletelyWritten() throws IOException {
		Path file = this.files.path("zeros");
		Files.write(file, new byte[(int) RingDescriptor.fileLength(4096)], StandardOpenOption.CREATE_NEW);
		assertThatIOException().isThrownBy(() -> SharedRing.attach(file, NO_SPIN))
			.withMessageContaining("not a vmworkers ring")
			.withMessageContaining("magic=0x0");
		Path small = this.files.path("small");
		Files.write(small, new byte[100], StandardOpenOption.CREATE_NEW);
		assertThatIOException().isThrownBy(() -> SharedRing.attach(small, NO_SPIN))
			.withMessageContaining("not a vmworkers ring")
			.withMessageContaining("size=100");
	}

	@Test
	void attachRefusesAFileOfAnotherVersion() throws IOException {
		SharedRing ring = this.files.create("ring", 4096, NO_SPIN);
		RingTestSupport.writeNativeInt(ring.file(), RingDescriptor.VERSION_OFFSET, RingDescriptor.VERSION + 1);
		assertThatIOException().isThrownBy(() -> SharedRing.attach(ring.file(), NO_SPIN))
			.withMessageContaining("version mismatch: app=" + RingDescriptor.VERSION + " file=" + (RingDescriptor.VERSION + 1));
	}

	@Test
	void attachRefusesAFileWhoseSizeDoesNotMatchItsCapacity() throws IOException {
		SharedRing ring = this.files.create("ring", 4096, NO_SPIN);
		try (FileChannel channel = FileChannel.open(ring.file(), StandardOpenOption.WRITE)) {
			channel.write(ByteBuffer.allocate(1), RingDescriptor.fileLength(4096));
		}
		assertThatIOException().isThrownBy(() -> SharedRing.attach(ring.file(), NO_SPIN))
			.withMessageContaining("does not match")
			.withMessageContaining("capacity=4096");
	}

	@ParameterizedTest
	@ValueSource(ints = { 5000, 4095, 2048, 0, -4096 })
	void createRejectsACapacityThatIsNotAPowerOfTwoWithinBounds(int capacity) throws IOException {
		Path file = this.files.path("bad-capacity");
		assertThatIllegalArgumentException().isThrownBy(() -> SharedRing.create(file, capacity, NO_SPIN))
			.withMessageContaining("vmworkers.channel.capacity")
			.withMessageContaining("capacity=" + capacity);
		assertThat(file).doesNotExist();
	}

	@Test
	void writeRejectsAFrameTypeOutOfRange() throws IOException {
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		for (int type : new int[] { RingDescriptor.PADDING_TYPE, 0x10000, -1 }) {
			assertThatIllegalArgumentException().isThrownBy(() -> producer.write(type, 1L, new byte[1], 0, 1, SECOND))
				.withMessageContaining("frame type out of range");
		}
		assertThat(producer.bytesWaiting()).isZero();
	}

	@Test
	void awaitDataReturnsFalseAfterItsTimeoutOnAnEmptyRing() throws IOException {
		this.files.create("ring", 4096, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		long timeout = TimeUnit.MILLISECONDS.toNanos(300);
		long start = System.nanoTime();
		assertThat(consumer.awaitData(timeout)).isFalse();
		assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(timeout / 2).isLessThan(10 * SECOND);
	}

	@Test
	void awaitDataSleepsWithoutBurningTheCpu() throws Exception {
		this.files.create("ring", 4096, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long cpuBefore = threads.getCurrentThreadCpuTime();
		assertThat(consumer.awaitData(SECOND)).isFalse();
		long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
		assertThat(cpu).as("CPU time spent waiting 1 s, ns").isLessThan(SECOND / 4);
	}

	@Test
	void awaitDataWakesPromptlyWhenTheOtherSideWrites() throws Exception {
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		MappedByteBuffer raw = RingTestSupport.mapRaw(producer.file());
		AtomicLong wokenAt = new AtomicLong();
		CompletableFuture<Boolean> awaited = CompletableFuture.supplyAsync(() -> {
			boolean result = consumer.awaitData(10 * SECOND);
			wokenAt.set(System.nanoTime());
			return result;
		}, daemonExecutor());
		// The consumer has announced itself and gone (or is about to go) to sleep on the futex.
		await().atMost(Duration.ofSeconds(5))
			.until(() -> RingTestSupport.intVolatile(raw, RingDescriptor.CONSUMER_WAITING_OFFSET) == 1);
		int sequence = RingTestSupport.intVolatile(raw, RingDescriptor.DATA_SEQUENCE_OFFSET);
		long writtenAt = System.nanoTime();
		producer.write(1, 1L, new byte[8], 0, 8, SECOND);
		assertThat(awaited.get(5, TimeUnit.SECONDS)).isTrue();
		assertThat(wokenAt.get() - writtenAt).isLessThan(5 * SECOND);
		// The producer saw the waiting consumer and bumped the futex word to wake it.
		assertThat(RingTestSupport.intVolatile(raw, RingDescriptor.DATA_SEQUENCE_OFFSET)).isNotEqualTo(sequence);
		assertThat(RingTestSupport.intVolatile(raw, RingDescriptor.CONSUMER_WAITING_OFFSET)).isZero();
	}

	@Test
	void closeWakesAThreadBlockedInAwaitData() throws Exception {
		this.files.create("ring", 4096, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		MappedByteBuffer raw = RingTestSupport.mapRaw(consumer.file());
		CompletableFuture<Boolean> awaited = CompletableFuture.supplyAsync(() -> consumer.awaitData(30 * SECOND),
				daemonExecutor());
		await().atMost(Duration.ofSeconds(5))
			.until(() -> RingTestSupport.intVolatile(raw, RingDescriptor.CONSUMER_WAITING_OFFSET) == 1);
		int sequence = RingTestSupport.intVolatile(raw, RingDescriptor.DATA_SEQUENCE_OFFSET);
		long start = System.nanoTime();
		consumer.close();
		assertThat(awaited.get(5, TimeUnit.SECONDS)).isFalse();
		assertThat(System.nanoTime() - start).isLessThan(5 * SECOND);
		assertThat(consumer.isClosed()).isTrue();
		// close() changed the futex word the consumer slept on, which is what wakes it.
		assertThat(RingTestSupport.intVolatile(raw, RingDescriptor.DATA_SEQUENCE_OFFSET)).isNotEqualTo(sequence);
	}

	@Test
	void awaitDataWithoutATimeoutWakesWhenTheOtherSideWrites() throws Exception {
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		MappedByteBuffer raw = RingTestSupport.mapRaw(producer.file());
		CompletableFuture<Boolean> awaited = CompletableFuture.supplyAsync(() -> consumer.awaitData(Long.MAX_VALUE),
				daemonExecutor());
		await().atMost(Duration.ofSeconds(5))
			.until(() -> RingTestSupport.intVolatile(raw, RingDescriptor.CONSUMER_WAITING_OFFSET) == 1);
		assertThat(awaited).isNotDone();
		producer.write(1, 1L, new byte[8], 0, 8, Long.MAX_VALUE);
		assertThat(awaited.get(5, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void closeWakesAWriterBlockedOnAFullRingWithChannelClosedException() throws Exception {
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		this.files.attach("ring", NO_SPIN);
		MappedByteBuffer raw = RingTestSupport.mapRaw(producer.file());
		fill(producer);
		CompletableFuture<Void> writing = CompletableFuture
			.runAsync(() -> producer.write(1, 9L, new byte[10], 0, 10, 30 * SECOND), daemonExecutor());
		await().atMost(Duration.ofSeconds(5))
			.until(() -> RingTestSupport.intVolatile(raw, RingDescriptor.PRODUCER_WAITING_OFFSET) == 1);
		int sequence = RingTestSupport.intVolatile(raw, RingDescriptor.SPACE_SEQUENCE_OFFSET);
		producer.close();
		assertThat(RingTestSupport.intVolatile(raw, RingDescriptor.SPACE_SEQUENCE_OFFSET)).isNotEqualTo(sequence);
		Throwable thrown = catchThrowable(() -> writing.get(5, TimeUnit.SECONDS));
		assertThat(thrown).hasCauseInstanceOf(ChannelClosedException.class);
		assertThat(thrown.getCause()).hasMessageContaining("channel closed");
	}

	@Test
	void writerBlockedOnAFullRingResumesWhenTheReaderMakesRoom() throws Exception {
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		MappedByteBuffer raw = RingTestSupport.mapRaw(producer.file());
		fill(producer);
		CompletableFuture<Void> writing = CompletableFuture.runAsync(
				() -> producer.write(1, 4L, RingTestSupport.payload(4, 600), 0, 600, 30 * SECOND), daemonExecutor());
		await().atMost(Duration.ofSeconds(5))
			.until(() -> RingTestSupport.intVolatile(raw, RingDescriptor.PRODUCER_WAITING_OFFSET) == 1);
		assertThat(consumer.read((type, correlationId, buffer, offset, length) -> {
		}, 1)).isEqualTo(1);
		writing.get(5, TimeUnit.SECONDS);
		List<Message> messages = RingTestSupport.drain(consumer);
		assertThat(messages).extracting(Message::correlationId).containsExactly(1L, 2L, 3L, 4L);
		assertThat(messages.get(3).payload()).containsExactly(RingTestSupport.payload(4, 600));
	}

	@Test
	void statisticsCountMessagesAndBytesOnBothSides() throws IOException {
		int capacity = 64 * 1024;
		SharedRing producer = this.files.create("ring", capacity, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		int[] lengths = { 10, 0, 20_000 };
		for (int i = 0; i < lengths.length; i++) {
			producer.write(1, i, RingTestSupport.payload(i, lengths[i]), 0, lengths[i], SECOND);
		}
		long records = RingDescriptor.recordLength(10) + RingDescriptor.recordLength(0)
				+ RingDescriptor.recordLength(RingDescriptor.maxFragmentPayload(capacity))
				+ RingDescriptor.recordLength(20_000 - RingDescriptor.maxFragmentPayload(capacity));
		assertThat(producer.statistics().messagesWritten()).isEqualTo(3);
		assertThat(producer.statistics().bytesWritten()).isEqualTo(20_010);
		assertThat(consumer.statistics().messagesRead()).isZero();
		assertThat(consumer.bytesWaiting()).isEqualTo(records);
		assertThat(producer.bytesWaiting()).isEqualTo(records);
		assertThat(RingTestSupport.drain(consumer)).hasSize(3);
		assertThat(consumer.statistics().messagesRead()).isEqualTo(3);
		assertThat(consumer.statistics().bytesRead()).isEqualTo(20_010);
		assertThat(consumer.statistics().messagesWritten()).isZero();
		assertThat(consumer.statistics().bytesWritten()).isZero();
		assertThat(producer.statistics().messagesRead()).isZero();
		assertThat(producer.statistics().bytesRead()).isZero();
		assertThat(consumer.bytesWaiting()).isZero();
	}

	@Test
	void readDeliversAtMostTheLimitAndKeepsTheRest() throws IOException {
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		for (int i = 0; i < 5; i++) {
			producer.write(1, i, new byte[i], 0, i, SECOND);
		}
		List<Long> ids = new ArrayList<>();
		assertThat(consumer.read((type, correlationId, buffer, offset, length) -> ids.add(correlationId), 2))
			.isEqualTo(2);
		assertThat(ids).containsExactly(0L, 1L);
		assertThat(consumer.hasData()).isTrue();
		assertThat(consumer.read((type, correlationId, buffer, offset, length) -> ids.add(correlationId), 10))
			.isEqualTo(3);
		assertThat(ids).containsExactly(0L, 1L, 2L, 3L, 4L);
	}

	@ParameterizedTest
	@ValueSource(ints = { Integer.MAX_VALUE, 0x40000000, -1, 200 })
	void readThrowsChannelCorruptedExceptionOnAnImpossibleRecordHeader(int corruptLength) throws IOException {
		int capacity = 4096;
		SharedRing producer = this.files.create("ring", capacity, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		// Move the consumer away from the start of the data area first.
		for (int i = 0; i < 7; i++) {
			producer.write(1, i, new byte[100], 0, 100, SECOND);
		}
		assertThat(RingTestSupport.drain(consumer)).hasSize(7);
		producer.write(1, 8L, new byte[40], 0, 40, SECOND);
		MappedByteBuffer raw = RingTestSupport.mapRaw(producer.file());
		long head = RingTestSupport.longVolatile(raw, RingDescriptor.HEAD_OFFSET);
		assertThat(head).isEqualTo(7L * RingDescriptor.recordLength(100));
		// 200 would fit before the end of the data area but runs past the tail.
		raw.putInt(RingDescriptor.CONTROL_LENGTH + (int) (head & (capacity - 1)) + RingDescriptor.RECORD_LENGTH_OFFSET,
				corruptLength);
		assertThatExceptionOfType(ChannelCorruptedException.class)
			.isThrownBy(() -> consumer.read((type, correlationId, buffer, offset, length) -> {
				throw new AssertionError("delivered a corrupt record");
			}, Integer.MAX_VALUE))
			.withMessageContaining("corrupt record")
			.withMessageContaining("length=" + corruptLength);
	}

	@Test
	void flippedBitInARecordIsRefusedNeverDelivered() throws IOException {
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		producer.write(1, 5L, RingTestSupport.payload(5, 64), 0, 64, SECOND);
		MappedByteBuffer raw = RingTestSupport.mapRaw(producer.file());
		int payloadByte = RingDescriptor.CONTROL_LENGTH + RingDescriptor.RECORD_HEADER_LENGTH + 10;
		raw.put(payloadByte, (byte) (raw.get(payloadByte) ^ 0x08));
		assertThatExceptionOfType(ChannelCorruptedException.class)
			.isThrownBy(() -> consumer.read((type, correlationId, buffer, offset, length) -> {
				throw new AssertionError("delivered a corrupt record");
			}, Integer.MAX_VALUE))
			.withMessageContaining("checksum mismatch");
	}

	@Test
	void flippedBitInARecordHeaderIsRefused() throws IOException {
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		producer.write(1, 5L, new byte[8], 0, 8, SECOND);
		MappedByteBuffer raw = RingTestSupport.mapRaw(producer.file());
		int correlation = RingDescriptor.CONTROL_LENGTH + RingDescriptor.RECORD_CORRELATION_OFFSET;
		raw.put(correlation, (byte) (raw.get(correlation) ^ 0x01));
		assertThatExceptionOfType(ChannelCorruptedException.class)
			.isThrownBy(() -> RingTestSupport.drain(consumer))
			.withMessageContaining("checksum mismatch");
	}

	@Test
	void messageLongerThanTheLimitIsRefusedBeforeItIsReassembled() throws IOException {
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		consumer.limitMessageLength(1500);
		producer.write(1, 1L, new byte[1000], 0, 1000, SECOND);
		assertThat(RingTestSupport.drain(consumer)).hasSize(1);
		// Three fragments of at most 1008 bytes: the second one crosses the limit.
		Thread writer = new Thread(() -> producer.write(2, 2L, new byte[3000], 0, 3000, 10 * SECOND));
		writer.setDaemon(true);
		writer.start();
		assertThatExceptionOfType(ChannelCorruptedException.class).isThrownBy(() -> {
			while (true) {
				consumer.awaitData(SECOND);
				consumer.read((type, correlationId, buffer, offset, length) -> {
					throw new AssertionError("delivered a message over the limit");
				}, Integer.MAX_VALUE);
			}
		}).withMessageContaining("message exceeds maxMessageLength=1500");
	}

	@Test
	void correlationIdsKeepAll64Bits() throws Exception {
		assertThat(RingDescriptor.MAX_CORRELATION_ID).isEqualTo(Long.MAX_VALUE);
		SharedRing producer = this.files.create("ring", 64 * 1024, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		long[] ids = { 0x1_0000_0000L, 0x1234_5678_9ABC_DEF0L, (1L << 32) + 7, Long.MAX_VALUE, 0L };
		for (long id : ids) {
			producer.write(1, id, RingTestSupport.payload(id, 10), 0, 10, SECOND);
		}
		// Fragments carry the id too: each one is checked against the first.
		byte[] large = RingTestSupport.payload(9, 50_000);
		producer.write(2, 0x7EDC_BA98_7654_3210L, large, 0, large.length, SECOND);
		MappedByteBuffer raw = RingTestSupport.mapRaw(producer.file());
		assertThat(raw.getLong(RingDescriptor.CONTROL_LENGTH + RingDescriptor.RECORD_CORRELATION_OFFSET))
			.isEqualTo(0x1_0000_0000L);
		List<Message> messages = RingTestSupport.drain(consumer);
		assertThat(messages).extracting(Message::correlationId)
			.containsExactly(0x1_0000_0000L, 0x1234_5678_9ABC_DEF0L, (1L << 32) + 7, Long.MAX_VALUE, 0L,
					0x7EDC_BA98_7654_3210L);
		assertThat(messages.get(5).payload()).containsExactly(large);
		assertThatIllegalArgumentException().isThrownBy(() -> producer.write(1, -1L, new byte[1], 0, 1, SECOND))
			.withMessageContaining("correlation id out of range");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> producer.write(1, Long.MIN_VALUE, new byte[1], 0, 1, SECOND));
	}

	@Test
	void everyRecordStartsWithA32ByteHeaderAndTheAlignmentLeavesRoomForOneBeforeTheEnd() throws IOException {
		assertThat(RingDescriptor.RECORD_HEADER_LENGTH).isEqualTo(32);
		assertThat(RingDescriptor.RECORD_ALIGNMENT).isGreaterThanOrEqualTo(RingDescriptor.RECORD_HEADER_LENGTH);
		assertThat(RingDescriptor.MIN_CAPACITY % RingDescriptor.RECORD_ALIGNMENT).isZero();
		assertThat(RingDescriptor.recordLength(0)).isEqualTo(32);
		assertThat(RingDescriptor.recordLength(1)).isEqualTo(64);
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		producer.write(7, 0x0102_0304_0506_0708L, new byte[3], 0, 3, SECOND);
		producer.write(8, 9L, new byte[0], 0, 0, SECOND);
		MappedByteBuffer raw = RingTestSupport.mapRaw(producer.file());
		int second = RingDescriptor.CONTROL_LENGTH + 64;
		assertThat(raw.getInt(RingDescriptor.CONTROL_LENGTH + RingDescriptor.RECORD_LENGTH_OFFSET)).isEqualTo(3);
		assertThat(raw.getInt(RingDescriptor.CONTROL_LENGTH + RingDescriptor.RECORD_TYPE_OFFSET)).isEqualTo(7);
		assertThat(raw.getLong(RingDescriptor.CONTROL_LENGTH + RingDescriptor.RECORD_CORRELATION_OFFSET))
			.isEqualTo(0x0102_0304_0506_0708L);
		assertThat(raw.getLong(RingDescriptor.CONTROL_LENGTH + RingDescriptor.RECORD_POSITION_OFFSET)).isZero();
		assertThat(raw.getInt(RingDescriptor.CONTROL_LENGTH + RingDescriptor.RECORD_RESERVED_OFFSET)).isZero();
		assertThat(raw.getLong(second + RingDescriptor.RECORD_POSITION_OFFSET)).isEqualTo(64);
		assertThat(producer.bytesWaiting()).isEqualTo(64 + 32);
	}

	@Test
	void flippedBitInTheHighHalfOfACorrelationIdIsRefused() throws IOException {
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		producer.write(1, 5L, new byte[8], 0, 8, SECOND);
		MappedByteBuffer raw = RingTestSupport.mapRaw(producer.file());
		int at = RingDescriptor.CONTROL_LENGTH + RingDescriptor.RECORD_CORRELATION_OFFSET;
		raw.putLong(at, raw.getLong(at) ^ (1L << 40));
		assertThatExceptionOfType(ChannelCorruptedException.class).isThrownBy(() -> RingTestSupport.drain(consumer))
			.withMessageContaining("checksum mismatch");
	}

	@Test
	void versionMismatchIsRefused() throws IOException {
		// Version 3 had no beat in the control area: its workers sent heartbeat frames.
		assertThat(RingDescriptor.VERSION).isEqualTo(4);
		SharedRing ring = this.files.create("ring", 4096, NO_SPIN);
		RingTestSupport.writeNativeInt(ring.file(), RingDescriptor.VERSION_OFFSET, 3);
		assertThatIOException().isThrownBy(() -> SharedRing.attach(ring.file(), NO_SPIN))
			.withMessageContaining("version mismatch: app=4 file=3");
	}

	@Test
	void beatPublishedByTheProducerIsReadByTheOtherSideWithoutAFrame() throws IOException {
		SharedRing producer = this.files.create("beat", 4096, NO_SPIN);
		SharedRing consumer = SharedRing.attach(producer.file(), NO_SPIN);
		assertThat(consumer.readBeat()).isNull();
		producer.publishBeat(10, 20, 5);
		assertThat(consumer.readBeat()).containsExactly(1, 10, 20, 5);
		producer.publishBeat(11, 20, -1);
		assertThat(consumer.readBeat()).containsExactly(2, 11, 20, -1);
		// Nothing to read in the data area: a beat is no record.
		assertThat(consumer.bytesWaiting()).isZero();
	}

	/**
	 * Writes and reads 20 records of 256 bytes in a ring of 16 such records: the records of the first lap
	 * from index 1024 on are still there, with valid checksums, ahead of the consumer's head.
	 */
	private MappedByteBuffer consumeALapAndAQuarter(SharedRing producer, SharedRing consumer) throws IOException {
		int payload = 256 - RingDescriptor.RECORD_HEADER_LENGTH;
		for (int i = 0; i < 20; i++) {
			producer.write(1, i, RingTestSupport.payload(i, payload), 0, payload, SECOND);
			assertThat(RingTestSupport.drain(consumer)).hasSize(1);
		}
		MappedByteBuffer raw = RingTestSupport.mapRaw(producer.file());
		assertThat(RingTestSupport.longVolatile(raw, RingDescriptor.HEAD_OFFSET)).isEqualTo(20 * 256);
		return raw;
	}

	private static SharedRing.MessageHandler nothingExpected() {
		return (type, correlationId, buffer, offset, length) -> {
			throw new AssertionError("delivered a record past a forged tail: correlationId=" + correlationId);
		};
	}

	@Test
	@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void readRefusesATailBeyondTheCapacity() throws IOException {
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		MappedByteBuffer raw = consumeALapAndAQuarter(producer, consumer);
		long head = 20 * 256;
		for (long tail : new long[] { head + 4096 + 256, Long.MAX_VALUE }) {
			raw.putLong(RingDescriptor.TAIL_OFFSET, tail);
			assertThat(consumer.awaitData(30 * SECOND)).isTrue();
			assertThatExceptionOfType(ChannelCorruptedException.class)
				.isThrownBy(() -> consumer.read(nothingExpected(), Integer.MAX_VALUE))
				.withMessageContaining("file=" + consumer.file())
				.withMessageContaining("head=" + head)
				.withMessageContaining("tail=" + tail)
				.withMessageContaining("capacity=4096");
		}
	}

	@Test
	@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void readRefusesATailBehindTheHeadAndAwaitDataHandsItToTheReader() throws IOException {
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		MappedByteBuffer raw = consumeALapAndAQuarter(producer, consumer);
		long head = 20 * 256;
		for (long tail : new long[] { head - 256, -1L, Long.MIN_VALUE }) {
			raw.putLong(RingDescriptor.TAIL_OFFSET, tail);
			assertThat(consumer.hasData()).isFalse();
			// Not a sleep until the timeout, nor a wait that returns true with nothing to read forever:
			// the reader is sent to meet the corruption.
			long start = System.nanoTime();
			assertThat(consumer.awaitData(30 * SECOND)).isTrue();
			assertThat(System.nanoTime() - start).isLessThan(5 * SECOND);
			assertThatExceptionOfType(ChannelCorruptedException.class)
				.isThrownBy(() -> consumer.read(nothingExpected(), Integer.MAX_VALUE))
				.withMessageContaining("head=" + head)
				.withMessageContaining("tail=" + tail)
				.withMessageContaining("capacity=4096");
		}
	}

	@Test
	void readRefusesAStaleRecordLeftFromAnEarlierLap() throws IOException {
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		MappedByteBuffer raw = consumeALapAndAQuarter(producer, consumer);
		// Within the capacity, over a record of the first lap whose checksum is valid.
		raw.putLong(RingDescriptor.TAIL_OFFSET, 20 * 256 + 256);
		assertThatExceptionOfType(ChannelCorruptedException.class)
			.isThrownBy(() -> consumer.read(nothingExpected(), Integer.MAX_VALUE))
			.withMessageContaining("position=" + 20 * 256);
	}

	@Test
	void writeRefusesAHeadAheadOfItsTailInsteadOfOverwritingUnreadRecords() throws IOException {
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		fill(producer);
		MappedByteBuffer raw = RingTestSupport.mapRaw(producer.file());
		raw.putLong(RingDescriptor.HEAD_OFFSET, 4096 + 1024);
		assertThatExceptionOfType(ChannelCorruptedException.class)
			.isThrownBy(() -> producer.write(1, 9L, new byte[10], 0, 10, SECOND))
			.withMessageContaining("file=" + producer.file())
			.withMessageContaining("head=" + (4096 + 1024))
			.withMessageContaining("tail=4096")
			.withMessageContaining("capacity=4096");
		raw.putLong(RingDescriptor.HEAD_OFFSET, 0);
		assertThat(RingTestSupport.drain(consumer)).extracting(Message::correlationId).containsExactly(0L, 1L, 2L, 3L);
	}

	@Test
	void writeRefusesAHeadFurtherBehindThanTheCapacityInsteadOfWaitingForRoomThatNeverComes() throws IOException {
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		this.files.attach("ring", NO_SPIN);
		fill(producer);
		MappedByteBuffer raw = RingTestSupport.mapRaw(producer.file());
		raw.putLong(RingDescriptor.HEAD_OFFSET, -256);
		long start = System.nanoTime();
		assertThatExceptionOfType(ChannelCorruptedException.class)
			.isThrownBy(() -> producer.write(1, 9L, new byte[10], 0, 10, 5 * SECOND))
			.withMessageContaining("head=-256")
			.withMessageContaining("tail=4096");
		assertThat(System.nanoTime() - start).isLessThan(4 * SECOND);
	}

	/** Fills the ring and starts a writer that holds the write lock while it waits for room. */
	private CompletableFuture<Void> holdTheWriteLock(SharedRing producer, MappedByteBuffer raw) {
		fill(producer);
		CompletableFuture<Void> holder = CompletableFuture
			.runAsync(() -> producer.write(1, 9L, new byte[10], 0, 10, 10 * SECOND), daemonExecutor());
		await().atMost(Duration.ofSeconds(5))
			.until(() -> RingTestSupport.intVolatile(raw, RingDescriptor.PRODUCER_WAITING_OFFSET) == 1);
		return holder;
	}

	@Test
	void writeTimeoutCoversTheLockWait() throws Exception {
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		this.files.attach("ring", NO_SPIN);
		MappedByteBuffer raw = RingTestSupport.mapRaw(producer.file());
		holdTheWriteLock(producer, raw);
		long timeout = TimeUnit.MILLISECONDS.toNanos(300);
		long start = System.nanoTime();
		Throwable thrown = catchThrowable(() -> producer.write(1, 10L, new byte[10], 0, 10, timeout));
		long elapsed = System.nanoTime() - start;
		assertThat(thrown).isInstanceOf(ChannelFullException.class)
			.hasMessageContaining("vmworkers.channel.send-timeout")
			.hasMessageContaining("file=" + producer.file());
		assertThat(elapsed).isGreaterThanOrEqualTo(timeout / 2).isLessThan(5 * SECOND);
	}

	@Test
	void writeTimeoutCoversEveryFragmentOfTheMessageAndACutShortMessageIsNeverDelivered() throws Exception {
		int capacity = 4096;
		int limit = RingDescriptor.maxFragmentPayload(capacity);
		SharedRing producer = this.files.create("ring", capacity, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		MappedByteBuffer raw = RingTestSupport.mapRaw(producer.file());
		List<Message> delivered = new ArrayList<>();
		AtomicBoolean stop = new AtomicBoolean();
		// A slow reader: each time the writer waits for room, it makes room 250 ms later, well within
		// the timeout of one fragment, but not of the 24 fragments, which wait 5 times.
		Thread reader = new Thread(() -> {
			while (!stop.get()) {
				if (RingTestSupport.intVolatile(raw, RingDescriptor.PRODUCER_WAITING_OFFSET) == 1) {
					LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
					consumer.read((type, id, buffer, offset, length) -> delivered
						.add(Message.copy(type, id, buffer, offset, length)), Integer.MAX_VALUE);
				}
				else {
					LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
				}
			}
		}, "ring-test-slow-reader");
		reader.setDaemon(true);
		reader.start();
		long start = System.nanoTime();
		try {
			assertThatExceptionOfType(ChannelFullException.class).isThrownBy(
					() -> producer.write(1, 1L, new byte[24 * limit], 0, 24 * limit, SECOND));
			assertThat(System.nanoTime() - start).isLessThan(4 * SECOND);
		}
		finally {
			stop.set(true);
			reader.join(10_000);
		}
		assertThat(RingTestSupport.drain(consumer)).isEmpty();
		assertThat(delivered).isEmpty();
		producer.write(1, 2L, RingTestSupport.payload(2, 30), 0, 30, SECOND);
		producer.write(1, 3L, RingTestSupport.payload(3, 2 * limit + 5), 0, 2 * limit + 5, SECOND);
		List<Message> messages = RingTestSupport.drain(consumer);
		assertThat(messages).extracting(Message::correlationId).containsExactly(2L, 3L);
		assertThat(messages.get(1).payload()).containsExactly(RingTestSupport.payload(3, 2 * limit + 5));
	}

	/** What a thread's wait ended with, and whether its interrupt flag was still set after. */
	private record Outcome(Object value, Throwable thrown, boolean interrupted, long nanos) {
	}

	private static CompletableFuture<Outcome> startThread(Callable<Object> task,
			AtomicReference<Thread> started) {
		CompletableFuture<Outcome> outcome = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			long start = System.nanoTime();
			Object value = null;
			Throwable thrown = null;
			try {
				value = task.call();
			}
			catch (Throwable ex) {
				thrown = ex;
			}
			outcome.complete(new Outcome(value, thrown, Thread.currentThread().isInterrupted(),
					System.nanoTime() - start));
		}, "ring-test-interrupted");
		thread.setDaemon(true);
		started.set(thread);
		thread.start();
		return outcome;
	}

	@Test
	void interruptEndsAWaitForRoomAndTheCutShortMessageIsNeverDelivered() throws Exception {
		int capacity = 4096;
		int limit = RingDescriptor.maxFragmentPayload(capacity);
		SharedRing producer = this.files.create("ring", capacity, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		MappedByteBuffer raw = RingTestSupport.mapRaw(producer.file());
		AtomicReference<Thread> writer = new AtomicReference<>();
		// Four of its six fragments fit: the writer waits for room with the message half written.
		CompletableFuture<Outcome> outcome = startThread(() -> {
			producer.write(1, 1L, new byte[6 * limit], 0, 6 * limit, 10 * SECOND);
			return null;
		}, writer);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> RingTestSupport.intVolatile(raw, RingDescriptor.PRODUCER_WAITING_OFFSET) == 1);
		writer.get().interrupt();
		Outcome result = outcome.get(30, TimeUnit.SECONDS);
		assertThat(result.thrown()).isInstanceOf(ChannelInterruptedException.class)
			.hasMessageContaining("interrupted")
			.hasMessageContaining("room")
			.hasMessageContaining("file=" + producer.file());
		assertThat(result.interrupted()).isTrue();
		assertThat(result.nanos()).isLessThan(5 * SECOND);
		assertThat(RingTestSupport.drain(consumer)).isEmpty();
		producer.write(1, 2L, RingTestSupport.payload(2, 30), 0, 30, SECOND);
		producer.write(1, 3L, RingTestSupport.payload(3, 2 * limit + 5), 0, 2 * limit + 5, SECOND);
		List<Message> messages = RingTestSupport.drain(consumer);
		assertThat(messages).extracting(Message::correlationId).containsExactly(2L, 3L);
		assertThat(messages.get(1).payload()).containsExactly(RingTestSupport.payload(3, 2 * limit + 5));
	}

	@Test
	void interruptEndsAWaitForTheWriteLock() throws Exception {
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		this.files.attach("ring", NO_SPIN);
		MappedByteBuffer raw = RingTestSupport.mapRaw(producer.file());
		holdTheWriteLock(producer, raw);
		AtomicReference<Thread> writer = new AtomicReference<>();
		CompletableFuture<Outcome> outcome = startThread(() -> {
			producer.write(1, 10L, new byte[10], 0, 10, 10 * SECOND);
			return null;
		}, writer);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> writer.get().getState() == Thread.State.WAITING
					|| writer.get().getState() == Thread.State.TIMED_WAITING);
		writer.get().interrupt();
		Outcome result = outcome.get(30, TimeUnit.SECONDS);
		assertThat(result.thrown()).isInstanceOf(ChannelInterruptedException.class)
			.hasMessageContaining("interrupted")
			.hasMessageContaining("write lock")
			.hasMessageContaining("file=" + producer.file());
		assertThat(result.interrupted()).isTrue();
		assertThat(result.nanos()).isLessThan(5 * SECOND);
	}

	@Test
	void interruptEndsAwaitDataPromptlyAndLeavesTheFlagSet() throws Exception {
		this.files.create("ring", 4096, NO_SPIN);
		SharedRing consumer = this.files.attach("ring", NO_SPIN);
		MappedByteBuffer raw = RingTestSupport.mapRaw(consumer.file());
		AtomicReference<Thread> waiter = new AtomicReference<>();
		CompletableFuture<Outcome> outcome = startThread(() -> consumer.awaitData(30 * SECOND), waiter);
		// Asleep on the futex, which an interrupt does not wake.
		await().atMost(Duration.ofSeconds(5))
			.until(() -> RingTestSupport.intVolatile(raw, RingDescriptor.CONSUMER_WAITING_OFFSET) == 1);
		waiter.get().interrupt();
		Outcome result = outcome.get(30, TimeUnit.SECONDS);
		assertThat(result.thrown()).isNull();
		assertThat(result.value()).isEqualTo(false);
		assertThat(result.interrupted()).isTrue();
		assertThat(result.nanos()).isLessThan(5 * SECOND);
	}

	private static void fill(SharedRing producer) {
		int limit = RingDescriptor.maxFragmentPayload(producer.capacity());
		for (int i = 0; i < 4; i++) {
			producer.write(1, i, new byte[limit], 0, limit, 0);
		}
		assertThat(producer.bytesWaiting()).isEqualTo(producer.capacity());
	}

	private static Executor daemonExecutor() {
		return (task) -> {
			Thread thread = new Thread(task, "ring-test-waiter");
			thread.setDaemon(true);
			thread.start();
		};
	}

}
