package io.vmworkers.channel.tcp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.function.IntSupplier;
import java.util.zip.CRC32C;

import io.vmworkers.channel.ChannelCorruptedException;
import io.vmworkers.channel.RingDescriptor;

/**
 * The records a TCP connection carries: the ring's record ({@link RingDescriptor}) with its fields
 * in network byte order, one record per message whatever its size (a stream has no lap to fit in,
 * so neither padding nor fragments), and nothing between records:
 *
 * <pre>
 *  +0  length (int): payload bytes, at most the receiver's message limit
 *  +4  type (int): the frame type, 0 to 0xFFFE; {@link #BEAT} carries the sender's beat
 *  +8  correlation id (long)
 *  +16 position (long): the bytes of records sent on this connection before this one
 *  +24 reserved (int): zero
 *  +28 checksum (int): CRC32C of the 28 bytes before it, as sent, followed by the payload
 *  +32 payload
 * </pre>
 *
 * TCP already delivers bytes in order; the checksum and the position catch what it does not: a
 * peer that writes garbage, or a stream cut and resumed in the wrong place.
 */
final class WireRecords {

	/** A beat: three longs (heap used, heap max, used after the last collection), never queued. */
	static final int BEAT = 0xFFFE;

	static final int HEADER_LENGTH = RingDescriptor.RECORD_HEADER_LENGTH;

	private WireRecords() {
	}

	/** Writes records to a stream; one thread at a time. */
	static final class Writer {

		private final OutputStream out;

		private final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);

		private final CRC32C crc = new CRC32C();

		private long position;

		Writer(OutputStream out) {
			this.out = out;
		}

		/** Writes one record and flushes it. */
		void write(int type, long correlationId, byte[] source, int offset, int length) throws IOException {
			this.header.putInt(RingDescriptor.RECORD_LENGTH_OFFSET, length);
			this.header.putInt(RingDescriptor.RECORD_TYPE_OFFSET, type);
			this.header.putLong(RingDescriptor.RECORD_CORRELATION_OFFSET, correlationId);
			this.header.putLong(RingDescriptor.RECORD_POSITION_OFFSET, this.position);
			this.header.putInt(RingDescriptor.RECORD_RESERVED_OFFSET, 0);
			this.crc.reset();
			this.crc.update(this.header.array(), 0, RingDescriptor.RECORD_CHECKSUMMED_HEADER_LENGTH);
			this.crc.update(source, offset, length);
			this.header.putInt(RingDescriptor.RECORD_CHECKSUM_OFFSET, (int) this.crc.getValue());
			this.out.write(this.header.array());
			this.out.write(source, offset, length);
			this.out.flush();
			this.position += HEADER_LENGTH + length;
		}

	}

	/** Reads records from a stream, checking each; one thread. */
	static final class Reader {

		private final InputStream in;

		private final String where;

		private final byte[] headerBytes = new byte[HEADER_LENGTH];

		private final ByteBuffer header = ByteBuffer.wrap(this.headerBytes);

		private final CRC32C crc = new CRC32C();

		private final IntSupplier maxLength;

		private long position;

		private byte[] payload = new byte[4096];

		private int type;

		private long correlationId;

		private int length;

		Reader(InputStream in, String where, IntSupplier maxLength) {
			this.in = in;
			this.where = where;
			this.maxLength = maxLength;
		}

		/**
		 * Reads the next record.
		 * @return false when the stream ended cleanly, between records
		 * @throws EOFException when it ended within a record
		 * @throws ChannelCorruptedException when the record is impossible or its checksum wrong
		 */
		boolean next() throws IOException {
			int first = this.in.read();
			if (first < 0) {
				return false;
			}
			this.headerBytes[0] = (byte) first;
			readFully(this.headerBytes, 1, HEADER_LENGTH - 1);
			int length = this.header.getInt(RingDescriptor.RECORD_LENGTH_OFFSET);
			int type = this.header.getInt(RingDescriptor.RECORD_TYPE_OFFSET);
			long correlationId = this.header.getLong(RingDescriptor.RECORD_CORRELATION_OFFSET);
			long position = this.header.getLong(RingDescriptor.RECORD_POSITION_OFFSET);
			int maxLength = this.maxLength.getAsInt();
			if (length < 0 || length > maxLength || (type & ~RingDescriptor.TYPE_MASK) != 0
					|| type == RingDescriptor.PADDING_TYPE || correlationId < 0 || position != this.position
					|| this.header.getInt(RingDescriptor.RECORD_RESERVED_OFFSET) != 0) {
				throw new ChannelCorruptedException("impossible record on " + this.where + ": length=" + length
						+ " type=" + type + " correlationId=" + correlationId + " position=" + position + " expected="
						+ this.position + " maxLength=" + maxLength);
			}
			if (this.payload.length < length) {
				this.payload = new byte[Math.max(length, Math.min(maxLength, 2 * this.payload.length))];
			}
			readFully(this.payload, 0, length);
			this.crc.reset();
			this.crc.update(this.headerBytes, 0, RingDescriptor.RECORD_CHECKSUMMED_HEADER_LENGTH);
			this.crc.update(this.payload, 0, length);
			if ((int) this.crc.getValue() != this.header.getInt(RingDescriptor.RECORD_CHECKSUM_OFFSET)) {
				throw new ChannelCorruptedException("record checksum mismatch on " + this.where + ": type=" + type
						+ " length=" + length + " position=" + position);
			}
			this.type = type;
			this.correlationId = correlationId;
			this.length = length;
			this.position += HEADER_LENGTH + length;
			return true;
		}

		private void readFully(byte[] target, int offset, int length) throws IOException {
			int read = 0;
			while (read < length) {
				int count = this.in.read(target, offset + read, length - read);
				if (count < 0) {
					throw new EOFException("connection ended within a record: " + this.where);
				}
				read += count;
			}
		}

		int type() {
			return this.type;
		}

		long correlationId() {
			return this.correlationId;
		}

		/** The payload of the last record read, valid until the next read. */
		byte[] payload() {
			return this.payload;
		}

		int length() {
			return this.length;
		}

	}

}
