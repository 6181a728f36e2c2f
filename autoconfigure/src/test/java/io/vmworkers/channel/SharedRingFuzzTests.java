package io.vmworkers.channel;

import static io.vmworkers.channel.RingDescriptor.CONTROL_LENGTH;
import static io.vmworkers.channel.RingDescriptor.FLAG_CONTINUATION;
import static io.vmworkers.channel.RingDescriptor.FLAG_MORE_FRAGMENTS;
import static io.vmworkers.channel.RingDescriptor.HEAD_OFFSET;
import static io.vmworkers.channel.RingDescriptor.PADDING_TYPE;
import static io.vmworkers.channel.RingDescriptor.RECORD_HEADER_LENGTH;
import static io.vmworkers.channel.RingDescriptor.TAIL_OFFSET;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.esotericsoftware.kryo.KryoException;
import io.vmworkers.codec.ClassAllowList;
import io.vmworkers.codec.ClassNotAllowedException;
import io.vmworkers.codec.KryoCodec;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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
	void readRecords(byte[] input) {
		long position = consumeToStartOfData();
		int index = writeRecord(0, FRAME_TYPE | FLAG_MORE_FRAGMENTS, 1, new byte[] {1}, 0, 1);
		index = writeRecord(index, FRAME_TYPE | FLAG_CONTINUATION, 1, new byte[] {2}, 0, 1);
		if (input.length > 0 && (input[0] & 1) == 0) {
			int length = Math.min(input.length - 1, CAPACITY - index);
			raw.put(CONTROL_LENGTH + index, input, 1, length);
			index += (length + 15) & -16;
		}
		else {
			index = writeRecords(index, input);
		}
		raw.putLong(TAIL_OFFSET, position + Math.min(index, CAPACITY));
		try {
			ring.read(SharedRingFuzzTests::decode, Integer.MAX_VALUE);
		}
		catch (ChannelCorruptedException expected) {
			// Refused: what the consumer promises for a record it cannot trust.
		}
	}

	private static void decode(int type, long correlationId, byte[] buffer, int offset, int length) {
		if (length > MAX_MESSAGE_LENGTH) {
			throw new AssertionError("message of " + length + " bytes delivered past the limit " + MAX_MESSAGE_LENGTH);
		}
		try {
			CODEC.decode(buffer, offset, length);
		}
		catch (KryoException | ClassNotAllowedException | IllegalArgumentException expected) {
			// Refused by the codec.
		}
	}

	/**
	 * Writes the records the input describes, from its second byte, until the input or the data area ends: a flags
	 * byte (bit 0 more fragments, bit 1 continuation, bit 2 padding type, bit 3 a wrong checksum, bit 4 a declared
	 * length off by the next byte), a correlation byte, a two-byte length, then that many payload bytes (fewer if the
	 * input ends).
	 */
	private static int writeRecords(int start, byte[] input) {
		int index = start;
		int at = 1;
		while (at + 4 <= input.length && index + RECORD_HEADER_LENGTH <= CAPACITY) {
			int flags = input[at] & 0xFF;
			int correlation = input[at + 1] & 0xFF;
			int wanted = ((input[at + 2] & 0xFF) << 8) | (input[at + 3] & 0xFF);
			at += 4;
			int length = Math.min(wanted, Math.min(input.length - at, CAPACITY - index - RECORD_HEADER_LENGTH));
			int type = ((flags & 4) != 0) ? PADDING_TYPE
					: FRAME_TYPE | (((flags & 1) != 0) ? FLAG_MORE_FRAGMENTS : 0)
							| (((flags & 2) != 0) ? FLAG_CONTINUATION : 0);
			int declared = length;
			if ((flags & 16) != 0 && at < input.length) {
				declared += input[at];
			}
			int next = writeRecord(index, type, correlation, input, at, length);
			if (declared != length) {
				raw.putInt(CONTROL_LENGTH + index, declared);
			}
			if ((flags & 8) != 0) {
				raw.putInt(CONTROL_LENGTH + index + 12, raw.getInt(CONTROL_LENGTH + index + 12) ^ 1);
			}
			at += length;
			index = next;
		}
		return index;
	}

	/** Writes one record with a correct checksum at {@code index}; returns the index after it. */
	private static int writeRecord(int index, int type, int correlation, byte[] payload, int offset, int length) {
		int at = CONTROL_LENGTH + index;
		raw.putInt(at, length);
		raw.putInt(at + 4, type);
		raw.putInt(at + 8, correlation);
		CRC.reset();
		updateInt(length);
		updateInt(type);
		updateInt(correlation);
		if ((type & 0xFFFF) != PADDING_TYPE) {
			CRC.update(payload, offset, length);
			raw.put(at + RECORD_HEADER_LENGTH, payload, offset, length);
		}
		raw.putInt(at + 12, (int) CRC.getValue());
		return index + RingDescriptor.recordLength(length);
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
		writeRecord(index, PADDING_TYPE, 0, null, 0, CAPACITY - index - RECORD_HEADER_LENGTH);
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

	private static void updateInt(int value) {
		CRC.update(value >>> 24);
		CRC.update(value >>> 16);
		CRC.update(value >>> 8);
		CRC.update(value);
	}
}
