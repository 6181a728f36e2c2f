package io.vmworkers.channel;

/**
 * Layout of one shared-memory ring file: a control area followed by a power-of-two data area.
 *
 * <pre>
 *  offset  0 +--------------------------------------------------------------+
 *            | magic (int) | version (int) | capacity (int) | unused         |  written by the creator,
 *            | creator pid (long)                                           |  magic+version last
 *  offset 128+--------------------------------------------------------------+
 *            | tail (long): producer position, bytes ever written            |  producer's lines
 *            | data sequence (int): futex word the consumer sleeps on       |
 *            | producer waiting (int): 1 while the producer sleeps          |
 *  offset 256+--------------------------------------------------------------+
 *            | head (long): consumer position, bytes ever consumed           |  consumer's lines
 *            | space sequence (int): futex word the producer sleeps on      |
 *            | consumer waiting (int): threads of the consumer asleep       |
 *            | consumer reading (int): 1 while the consumer's reading       |
 *            | thread spins; then sleepers need no wake-up                  |
 *  offset 384+--------------------------------------------------------------+
 *            | data: capacity bytes of records                               |
 *            +--------------------------------------------------------------+
 * </pre>
 *
 * Producer and consumer counters are two cache lines (128 bytes) apart so that adjacent-line
 * prefetching does not make them share. Positions grow forever (a long does not wrap in practice);
 * the index of a position is {@code position & (capacity - 1)}.
 *
 * <p>A record is a 16-byte header and its payload, padded to {@link #RECORD_ALIGNMENT}:
 *
 * <pre>
 *  +0  length (int): payload bytes, header excluded
 *  +4  type (int): frame type in the low 16 bits, fragment flags above
 *  +8  correlation id (unsigned int)
 *  +12 checksum (int): CRC32C of length, type, correlation id and payload
 *  +16 payload
 * </pre>
 *
 * The checksum catches torn and corrupted records (a bit flip in the mapping, a foreign writer):
 * the consumer refuses such a record instead of delivering it.
 *
 * A record never wraps: when it does not fit before the end of the data area the producer writes a
 * {@link #PADDING_TYPE} record over the rest and starts at index 0. Because records and the data
 * area are 16-byte aligned, the space left before the end always holds at least a header.
 */
public final class RingDescriptor {

	/** "VMWR" in ASCII: marks a file written completely by a vmworkers master. */
	public static final int MAGIC = 0x564D5752;

	/** Layout version; an attaching side with another version refuses the file. */
	public static final int VERSION = 2;

	public static final int CACHE_LINE_PAIR = 128;

	public static final int MAGIC_OFFSET = 0;

	public static final int VERSION_OFFSET = 4;

	public static final int CAPACITY_OFFSET = 8;

	public static final int CREATOR_PID_OFFSET = 16;

	public static final int TAIL_OFFSET = CACHE_LINE_PAIR;

	public static final int DATA_SEQUENCE_OFFSET = TAIL_OFFSET + 8;

	public static final int PRODUCER_WAITING_OFFSET = TAIL_OFFSET + 12;

	public static final int HEAD_OFFSET = 2 * CACHE_LINE_PAIR;

	public static final int SPACE_SEQUENCE_OFFSET = HEAD_OFFSET + 8;

	public static final int CONSUMER_WAITING_OFFSET = HEAD_OFFSET + 12;

	/**
	 * Beside the waiting count, which the producer reads at every publish, on the line the consumer
	 * writes anyway (the head): the producer reads both with one cache miss.
	 */
	public static final int CONSUMER_READING_OFFSET = HEAD_OFFSET + 16;

	/** Bytes before the data area. */
	public static final int CONTROL_LENGTH = 3 * CACHE_LINE_PAIR;

	public static final int RECORD_HEADER_LENGTH = 16;

	public static final int RECORD_LENGTH_OFFSET = 0;

	public static final int RECORD_TYPE_OFFSET = 4;

	public static final int RECORD_CORRELATION_OFFSET = 8;

	public static final int RECORD_CHECKSUM_OFFSET = 12;

	/** Correlation ids are unsigned 32-bit values. */
	public static final long MAX_CORRELATION_ID = 0xFFFF_FFFFL;

	public static final int RECORD_ALIGNMENT = 16;

	/** Record type that fills the space up to the end of the data area. */
	public static final int PADDING_TYPE = 0xFFFF;

	/** Type flag: more fragments of the same message follow this record. */
	public static final int FLAG_MORE_FRAGMENTS = 1 << 16;

	/** Type flag: this record continues a message begun in an earlier record. */
	public static final int FLAG_CONTINUATION = 1 << 17;

	public static final int TYPE_MASK = 0xFFFF;

	/** Smallest data area: one page. */
	public static final int MIN_CAPACITY = 4096;

	/** Largest data area: 1 GiB. */
	public static final int MAX_CAPACITY = 1 << 30;

	private RingDescriptor() {
	}

	/**
	 * Returns the size of the whole file for a data area of {@code capacity} bytes.
	 * @param capacity the data area's size
	 * @return the file size
	 */
	public static long fileLength(int capacity) {
		return (long) CONTROL_LENGTH + capacity;
	}

	/**
	 * Returns the space a record with {@code payloadLength} bytes takes in the data area.
	 * @param payloadLength the payload's length
	 * @return header plus payload, rounded up to the alignment
	 */
	public static int recordLength(int payloadLength) {
		return (RECORD_HEADER_LENGTH + payloadLength + RECORD_ALIGNMENT - 1) & -RECORD_ALIGNMENT;
	}

	/**
	 * Returns the largest payload one record (one fragment) may carry in a ring of the given
	 * capacity. A quarter of the ring keeps a large message flowing while the consumer drains.
	 * @param capacity the data area's size
	 * @return the largest payload of one record
	 */
	public static int maxFragmentPayload(int capacity) {
		return capacity / 4 - RECORD_HEADER_LENGTH;
	}

	/**
	 * Checks a capacity, naming the property to fix.
	 * @param capacity the requested data area size
	 * @throws IllegalArgumentException when it is not a power of two within bounds
	 */
	public static void checkCapacity(long capacity) {
		if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || Long.bitCount(capacity) != 1) {
			throw new IllegalArgumentException("channel capacity must be a power of two between " + MIN_CAPACITY
					+ " and " + MAX_CAPACITY + " bytes, capacity=" + capacity
					+ "; fix vmworkers.channel.capacity (for example 512KB)");
		}
	}

}
