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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
		assertThat(RingTestSupport.intVolatile(raw, RingDescriptor.CONSUMER_READING_OFFSET)).isZero();
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
	void correlationIdsAreUnsigned32Bit() throws IOException {
		SharedRing producer = this.files.create("ring", 4096, NO_SPIN);
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> producer.write(1, RingDescriptor.MAX_CORRELATION_ID + 1, new byte[1], 0, 1, SECOND))
			.withMessageContaining("correlation id out of range");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> producer.write(1, -1L, new byte[1], 0, 1, SECOND));
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
