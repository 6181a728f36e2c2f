package io.vmworkers.channel;

/**
 * Layout of one shared-memory ring file: a control area followed by a power-of-two data area.
 *
 * <pre>
 *  offset  0 +--------------------------------------------------------------+
 *            | magic (int) | version (int) | capacity (int) | unused         |  written by the creator,
 *            | creator pid (long)                                           |  magic+version last
 *  offset 64 | beat sequence (long): even, +2 per beat; odd while written   |  the producer's beat:
 *            | beat figures: 3 longs (heap used, heap max, used after GC)   |  read, never waited on
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
 * The beat is the producer's sign of life (a worker's, on the ring it writes): it writes it where
 * the other side reads it when it looks, so that liveness wakes nobody. A reader that finds the
 * sequence odd, or changed while it read the figures, reads again.
 * <p>
 * Producer and consumer counters are two cache lines (128 bytes) apart so that adjacent-line
 * prefetching does not make them share. Positions grow forever (a long does not wrap in practice);
 * the index of a position is {@code position & (capacity - 1)}.
 *
 * <p>A record is a 32-byte header and its payload, padded to {@link #RECORD_ALIGNMENT}:
 *
 * <pre>
 *  +0  length (int): payload bytes, header excluded
 *  +4  type (int): frame type in the low 16 bits, fragment flags above, other bits zero
 *  +8  correlation id (long): 0 to {@link #MAX_CORRELATION_ID}
 *  +16 position (long): the record's own position, which tells a record of this lap from a stale
 *      one of an earlier lap
 *  +24 reserved (int): zero
 *  +28 checksum (int): CRC32C of the header's first 28 bytes as they lie in the mapping (native
 *      byte order) followed by the payload
 *  +32 payload
 * </pre>
 *
 * The checksum catches torn and corrupted records (a bit flip in the mapping, a foreign writer):
 * the consumer refuses such a record instead of delivering it. The position catches what a checksum
 * cannot: a tail moved over bytes that are intact but old.
 * <p>
 * A record never wraps: when it does not fit before the end of the data area the producer writes a
 * {@link #PADDING_TYPE} record over the rest and starts at index 0. Positions advance by whole
 * records, which are multiples of {@link #RECORD_ALIGNMENT}, and the capacity is a multiple of it
 * too, so the space left before the end is a multiple of the alignment; because the alignment is
 * not smaller than the header, that space always holds at least a header.
 * <p>
 * Both sides check the other's position word before trusting it: the consumer refuses a tail
 * behind its head or more than the capacity ahead of it, the producer a head ahead of its tail or
 * more than the capacity behind it ({@link ChannelCorruptedException}). A read call therefore
 * handles at most the capacity's bytes of records, padding and fragments included, and always ends.
 * <p>
 * A message larger than one fragment is written as a sequence: the first record has
 * {@link #FLAG_MORE_FRAGMENTS}, the middle ones both flags, the last {@link #FLAG_CONTINUATION};
 * all carry the message's frame type and correlation id. The producer's timeout covers the whole
 * message, and an interrupt ends its wait, so a sequence can stop short, without a last fragment,
 * when the writer gives up between fragments (the consumer was too slow to make room, or a
 * message larger than the ring could never be written ahead). The consumer discards such an
 * incomplete sequence when the next message begins (a record without {@link #FLAG_CONTINUATION});
 * a continuation that continues nothing, or another type or id, is corruption. A message cut short
 * is therefore never delivered, and never mixed with the next one.
 */
public final class RingDescriptor {

	/** "VMWR" in ASCII: marks a file written completely by a vmworkers master. */
	public static final int MAGIC = 0x564D5752;

	/** Layout version; an attaching side with another version refuses the file. */
	public static final int VERSION = 4;

	public static final int CACHE_LINE_PAIR = 128;

	public static final int MAGIC_OFFSET = 0;

	public static final int VERSION_OFFSET = 4;

	public static final int CAPACITY_OFFSET = 8;

	public static final int CREATOR_PID_OFFSET = 16;

	/** On a cache line of its own in the creator's area, which no one writes after the creation. */
	public static final int BEAT_SEQUENCE_OFFSET = 64;

	/** Three longs after the sequence: heap used, heap max, heap used after the last collection. */
	public static final int BEAT_FIGURES_OFFSET = BEAT_SEQUENCE_OFFSET + 8;

	public static final int BEAT_FIGURES = 3;

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

	public static final int RECORD_HEADER_LENGTH = 32;

	public static final int RECORD_LENGTH_OFFSET = 0;

	public static final int RECORD_TYPE_OFFSET = 4;

	public static final int RECORD_CORRELATION_OFFSET = 8;

	public static final int RECORD_POSITION_OFFSET = 16;

	public static final int RECORD_RESERVED_OFFSET = 24;

	public static final int RECORD_CHECKSUM_OFFSET = 28;

	/** The header's bytes the checksum covers: all before the checksum itself. */
	public static final int RECORD_CHECKSUMMED_HEADER_LENGTH = RECORD_CHECKSUM_OFFSET;

	/**
	 * Correlation ids are non-negative longs: a counter masked with this never repeats an id still
	 * outstanding.
	 */
	public static final long MAX_CORRELATION_ID = Long.MAX_VALUE;

	/** Not smaller than {@link #RECORD_HEADER_LENGTH}: see the class description. */
	public static final int RECORD_ALIGNMENT = 32;

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
	 * Checks a frame's type and correlation id before anything is written.
	 * @param type the frame type
	 * @param correlationId the correlation id
	 * @param maxType the largest type the writer carries
	 * @throws IllegalArgumentException when either is out of range
	 */
	public static void checkFrame(int type, long correlationId, int maxType) {
		if (type < 0 || type > maxType) {
			throw new IllegalArgumentException("frame type out of range: type=" + type);
		}
		if (correlationId < 0) {
			throw new IllegalArgumentException("correlation id out of range: correlationId=" + correlationId);
		}
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
