package io.vmworkers.dispatch;

import java.nio.ByteBuffer;

import io.vmworkers.channel.SharedRing;

/**
 * A {@code byte[]} the other side put, still in the ring's read buffer: valid only while the ring
 * delivers it. An {@code @OnData} method taking a {@link ByteBuffer} reads it there, with no
 * allocation; anything that keeps it past the delivery (a {@code byte[]} handler, the inbox of
 * {@code next()}, data held or queued behind a call) takes it with {@link #keep()}.
 */
final class ReceivedBytes {

	private final SharedRing ring;

	private final byte[] buffer;

	private final int offset;

	private final int length;

	private byte[] kept;

	ReceivedBytes(SharedRing ring, byte[] buffer, int offset, int length) {
		this.ring = ring;
		this.buffer = buffer;
		this.offset = offset;
		this.length = length;
	}

	/**
	 * Returns the bytes as an array the caller owns; call it only during the delivery.
	 * @return the bytes, the same array on every call
	 */
	byte[] keep() {
		if (this.kept == null) {
			this.kept = this.ring.keep(this.buffer, this.offset, this.length);
		}
		return this.kept;
	}

	/**
	 * Returns a read-only view of the bytes, valid during the delivery only.
	 * @return the view
	 */
	ByteBuffer view() {
		return (this.kept != null) ? ByteBuffer.wrap(this.kept).asReadOnlyBuffer()
				: ByteBuffer.wrap(this.buffer, this.offset, this.length).slice().asReadOnlyBuffer();
	}

	/**
	 * Returns what can outlive the delivery: the bytes of a {@code ReceivedBytes}, any other
	 * payload as it is.
	 * @param payload a DATA frame's payload
	 * @return the payload, owned
	 */
	static Object owned(Object payload) {
		return (payload instanceof ReceivedBytes bytes) ? bytes.keep() : payload;
	}

}
