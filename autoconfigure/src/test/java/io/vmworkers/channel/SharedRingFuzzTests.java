package io.vmworkers.channel;

import static io.vmworkers.channel.RingDescriptor.CONSUMER_READING_OFFSET;
import static io.vmworkers.channel.RingDescriptor.CONSUMER_WAITING_OFFSET;
import static io.vmworkers.channel.RingDescriptor.CONTROL_LENGTH;
import static io.vmworkers.channel.RingDescriptor.DATA_SEQUENCE_OFFSET;
import static io.vmworkers.channel.RingDescriptor.FLAG_CONTINUATION;
import static io.vmworkers.channel.RingDescriptor.FLAG_MORE_FRAGMENTS;
import static io.vmworkers.channel.RingDescriptor.HEAD_OFFSET;
import static io.vmworkers.channel.RingDescriptor.PADDING_TYPE;
import static io.vmworkers.channel.RingDescriptor.PRODUCER_WAITING_OFFSET;
import static io.vmworkers.channel.RingDescriptor.RECORD_ALIGNMENT;
import static io.vmworkers.channel.RingDescriptor.RECORD_CHECKSUMMED_HEADER_LENGTH;
import static io.vmworkers.channel.RingDescriptor.RECORD_CHECKSUM_OFFSET;
import static io.vmworkers.channel.RingDescriptor.RECORD_CORRELATION_OFFSET;
import static io.vmworkers.channel.RingDescriptor.RECORD_HEADER_LENGTH;
import static io.vmworkers.channel.RingDescriptor.RECORD_LENGTH_OFFSET;
import static io.vmworkers.channel.RingDescriptor.RECORD_POSITION_OFFSET;
import static io.vmworkers.channel.RingDescriptor.RECORD_RESERVED_OFFSET;
import static io.vmworkers.channel.RingDescriptor.RECORD_TYPE_OFFSET;
import static io.vmworkers.channel.RingDescriptor.SPACE_SEQUENCE_OFFSET;
import static io.vmworkers.channel.RingDescriptor.TAIL_OFFSET;
import static io.vmworkers.channel.RingDescriptor.TYPE_MASK;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.esotericsoftware.kryo.KryoException;
import io.vmworkers.codec.ClassAllowList;
import io.vmworkers.codec.ClassNotAllowedException;
import io.vmworkers.codec.KryoCodec;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for the frame decoder, {@link SharedRing#read}, with every delivered message decoded by
 * {@link KryoCodec#decode}: whatever the data area holds, the consumer refuses it with a
 * {@link ChannelCorruptedException} or delivers messages that the codec decodes or refuses with its documented
 * exceptions. Nothing else may escape, and nothing may allocate beyond the message size limit.
 *
 * <p>The first input byte chooses how the rest fills the data area after a valid two-fragment message (which also
 * clears any half-assembled message left by the previous input): even, raw bytes, which exercise the header checks
 * and the checksum; odd, records described by the input ({@link #writeRecords}) with correct checksums, which reach
 * fragment reassembly, the length limit and the codec. Each input starts at index 0 of the data area.
 *
 * <p>When bit 1 of the first byte is set and the input has at least ten bytes, its last nine bytes are not records
 * but forge a control word ({@link #forgeControlWord}): the tail (anywhere, or near where the records end), the head
 * word, or a futex or waiting word. Then {@code hasData}, {@code awaitData} and {@code read} must still return, and the
 * read must deliver valid records or throw {@link ChannelCorruptedException}, never move the head past the tail it
 * accepted, and never by more than the capacity. A hang is a timeout finding when fuzzing and fails the replay.
 *
 * <p>The saved inputs under {@code src/test/resources/io/vmworkers/channel/SharedRingFuzzTestsInputs/readRecords/}
 * replay in every build. To fuzz:
 *
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -pl autoconfigure test -Dtest=SharedRingFuzzTests '-Djazzer.instrument=io.vmworkers.**,com.esotericsoftware.**'
 * </pre>
 */
class SharedRingFuzzTests {

	private static final int CAPACITY = 4096;

	/** Small, so that fragments can exceed it within one data area. */
	private static final int MAX_MESSAGE_LENGTH = 1024;

	private static final int FRAME_TYPE = 1;

	private static final KryoCodec CODEC = new KryoCodec(new ClassAllowList(List.of()),
			SharedRingFuzzTests.class.getClassLoader(), MAX_MESSAGE_LENGTH);

	private static final RingTestSupport SUPPORT = new RingTestSupport();

	private static final CRC32C CRC = new CRC32C();

	private static SharedRing ring;

	private static MappedByteBuffer raw;

	@BeforeAll
	static void createRing() throws IOException {
		// As in KryoCodecFuzzTest: replay the saved inputs without Jazzer's bug-detector hooks (ten seconds to install,
		// useful only while fuzzing).
		if (System.getenv("JAZZER_FUZZ") == null && System.getProperty("jazzer.hooks") == null) {
			System.setProperty("jazzer.hooks", "false");
		}
		ring = SUPPORT.create("fuzz", CAPACITY, 0);
		ring.limitMessageLength(MAX_MESSAGE_LENGTH);
		raw = RingTestSupport.mapRaw(SUPPORT.path("fuzz"));
	}

	@AfterAll
	static void deleteRing() throws IOException {
		SUPPORT.closeAndDeleteAll();
	}

	@FuzzTest(maxDuration = "5m")
	@Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void readRecords(byte[] input) {
		clearWaitingWords();
		long position = consumeToStartOfData();
		boolean forge = input.length >= 10 && (input[0] & 2) != 0;
		int end = forge ? input.length - 9 : input.length;
		int index = writeRecord(position, 0, FRAME_TYPE | FLAG_MORE_FRAGMENTS, 1, new byte[] {1}, 0, 1);
		index = writeRecord(position, index, FRAME_TYPE | FLAG_CONTINUATION, 1, new byte[] {2}, 0, 1);
		if (end > 0 && (input[0] & 1) == 0) {
			int length = Math.min(end - 1, CAPACITY - index);
			raw.put(CONTROL_LENGTH + index, input, 1, length);
			index += (length + RECORD_ALIGNMENT - 1) & -RECORD_ALIGNMENT;
		}
		else {
			index = writeRecords(position, index, input, end);
		}
		raw.putLong(TAIL_OFFSET, position + Math.min(index, CAPACITY));
		long forgedHead = forge ? forgeControlWord(input, end) : Long.MIN_VALUE;
		ring.hasData();
		ring.awaitData(0);
		try {
			ring.read(SharedRingFuzzTests::decode, Integer.MAX_VALUE);
		}
		catch (ChannelCorruptedException expected) {
			// Refused: what the consumer promises for a record it cannot trust.
		}
		long head = raw.getLong(HEAD_OFFSET);
		if (forgedHead != Long.MIN_VALUE && head == forgedHead) {
			// Nothing was read, so the consumer did not publish its head over the forged one: put it back.
			raw.putLong(HEAD_OFFSET, position);
			head = position;
		}
		if (head - position < 0 || head - position > CAPACITY) {
			throw new AssertionError("read moved the head out of the ring: from " + position + " to " + head);
		}
	}

	/**
	 * Forges one control word from the input's last nine bytes: a selector, then a big-endian value. Returns the
	 * value written to the head word, or {@code Long.MIN_VALUE} when another word was forged.
	 */
	private static long forgeControlWord(byte[] input, int at) {
		int selector = input[at] & 7;
		long value = 0;
		for (int i = 1; i <= 8; i++) {
			value = (value << 8) | (input[at + i] & 0xFF);
		}
		switch (selector) {
			case 0 -> raw.putLong(TAIL_OFFSET, value);
			case 1 -> raw.putLong(TAIL_OFFSET, raw.getLong(TAIL_OFFSET) + value % (4L * CAPACITY));
			case 2 -> {
				// Odd, so never a head the consumer publishes: see readRecords.
				raw.putLong(HEAD_OFFSET, value | 1);
				return value | 1;
			}
			case 3 -> raw.putInt(DATA_SEQUENCE_OFFSET, (int) value);
			case 4 -> raw.putInt(PRODUCER_WAITING_OFFSET, (int) value);
			case 5 -> raw.putInt(SPACE_SEQUENCE_OFFSET, (int) value);
			case 6 -> raw.putInt(CONSUMER_WAITING_OFFSET, (int) value);
			default -> raw.putInt(CONSUMER_READING_OFFSET, (int) value);
		}
		return Long.MIN_VALUE;
	}

	/** Resets the futex and waiting words a previous input may have forged. */
	private static void clearWaitingWords() {
		for (int offset : new int[] { DATA_SEQUENCE_OFFSET, PRODUCER_WAITING_OFFSET, SPACE_SEQUENCE_OFFSET,
				CONSUMER_WAITING_OFFSET, CONSUMER_READING_OFFSET }) {
			raw.putInt(offset, 0);
		}
	}

	private static void decode(int type, long correlationId, byte[] buffer, int offset, int length) {
		if (length > MAX_MESSAGE_LENGTH) {
			throw new AssertionError("message of " + length + " bytes delivered past the limit " + MAX_MESSAGE_LENGTH);
		}
		if (type < 0 || type > TYPE_MASK || type == PADDING_TYPE || correlationId < 0) {
			throw new AssertionError("invalid record delivered: type=" + type + " correlationId=" + correlationId);
		}
		try {
			CODEC.decode(buffer, offset, length);
		}
		catch (KryoException | ClassNotAllowedException | IllegalArgumentException expected) {
			// Refused by the codec.
		}
	}

	/**
	 * Writes the records the input describes, from its second byte, until {@code end} or the data area ends: a flags
	 * byte (bit 0 more fragments, bit 1 continuation, bit 2 padding type, bit 3 a wrong checksum, bit 4 a declared
	 * length off by the next byte, bit 5 the position of the previous lap, bit 6 a reserved word not zero, bit 7 a
	 * negative correlation id), a correlation byte (repeated in the id's high bits), a two-byte length, then that many
	 * payload bytes (fewer if the input ends).
	 */
	private static int writeRecords(long start, int first, byte[] input, int end) {
		int index = first;
		int at = 1;
		while (at + 4 <= end && index + RECORD_HEADER_LENGTH <= CAPACITY) {
			int flags = input[at] & 0xFF;
			int correlation = input[at + 1] & 0xFF;
			int wanted = ((input[at + 2] & 0xFF) << 8) | (input[at + 3] & 0xFF);
			at += 4;
			int length = Math.min(wanted, Math.min(end - at, CAPACITY - index - RECORD_HEADER_LENGTH));
			int type = ((flags & 4) != 0) ? PADDING_TYPE
					: FRAME_TYPE | (((flags & 1) != 0) ? FLAG_MORE_FRAGMENTS : 0)
							| (((flags & 2) != 0) ? FLAG_CONTINUATION : 0);
			long id = ((long) correlation << 40) | correlation;
			int declared = length;
			if ((flags & 16) != 0 && at < end) {
				declared += input[at];
			}
			int next = writeRecord(start, index, type, id, input, at, length);
			int header = CONTROL_LENGTH + index;
			if (declared != length) {
				raw.putInt(header + RECORD_LENGTH_OFFSET, declared);
			}
			if ((flags & 32) != 0) {
				raw.putLong(header + RECORD_POSITION_OFFSET, start + index - CAPACITY);
				seal(header, type, input, at, length);
			}
			if ((flags & 64) != 0) {
				raw.putInt(header + RECORD_RESERVED_OFFSET, correlation | 1);
				seal(header, type, input, at, length);
			}
			if ((flags & 128) != 0) {
				raw.putLong(header + RECORD_CORRELATION_OFFSET, id | Long.MIN_VALUE);
				seal(header, type, input, at, length);
			}
			if ((flags & 8) != 0) {
				raw.putInt(header + RECORD_CHECKSUM_OFFSET, raw.getInt(header + RECORD_CHECKSUM_OFFSET) ^ 1);
			}
			at += length;
			index = next;
		}
		return index;
	}

	/**
	 * Writes one record with a correct checksum at {@code index} of the data area, whose index 0 is at position
	 * {@code start}; returns the index after it.
	 */
	private static int writeRecord(long start, int index, int type, long correlation, byte[] payload, int offset,
			int length) {
		int header = CONTROL_LENGTH + index;
		raw.putInt(header + RECORD_LENGTH_OFFSET, length);
		raw.putInt(header + RECORD_TYPE_OFFSET, type);
		raw.putLong(header + RECORD_CORRELATION_OFFSET, correlation);
		raw.putLong(header + RECORD_POSITION_OFFSET, start + index);
		raw.putInt(header + RECORD_RESERVED_OFFSET, 0);
		if ((type & 0xFFFF) != PADDING_TYPE) {
			raw.put(header + RECORD_HEADER_LENGTH, payload, offset, length);
		}
		seal(header, type, payload, offset, length);
		return index + RingDescriptor.recordLength(length);
	}

	/** Writes the checksum of the header at {@code header} of the file as it is, and of the payload. */
	private static void seal(int header, int type, byte[] payload, int offset, int length) {
		byte[] bytes = new byte[RECORD_CHECKSUMMED_HEADER_LENGTH];
		raw.get(header, bytes);
		CRC.reset();
		CRC.update(bytes);
		if ((type & 0xFFFF) != PADDING_TYPE) {
			CRC.update(payload, offset, length);
		}
		raw.putInt(header + RECORD_CHECKSUM_OFFSET, (int) CRC.getValue());
	}

	/**
	 * Moves the consumer to index 0 of the data area, wherever the previous input left it, by having it read a
	 * padding record up to the end; returns the consumer's position.
	 */
	private static long consumeToStartOfData() {
		long head = raw.getLong(HEAD_OFFSET);
		int index = (int) (head & (CAPACITY - 1));
		if (index == 0) {
			return head;
		}
		writeRecord(head - index, index, PADDING_TYPE, 0, null, 0, CAPACITY - index - RECORD_HEADER_LENGTH);
		raw.putLong(TAIL_OFFSET, head + CAPACITY - index);
		ring.read((type, correlationId, buffer, offset, length) -> {
			throw new AssertionError("padding delivered as a message");
		}, Integer.MAX_VALUE);
		long start = raw.getLong(HEAD_OFFSET);
		if ((start & (CAPACITY - 1)) != 0) {
			throw new AssertionError("consumer did not skip the padding: head=" + start);
		}
		return start;
	}

}
