package io.vmworkers.soak;

/**
 * One object of a soak stream, large enough to travel in fragments: its payload is derived from
 * its sequence number, so that the receiver can check every byte.
 *
 * @param seq the sequence number within its stream, from 0
 * @param senderPid the pid of the process that put it
 * @param payload the bytes
 */
public record Chunk(long seq, long senderPid, byte[] payload) {

	/**
	 * Smallest payload: above a quarter of the soak's 64 KB ring, so that every chunk is fragmented.
	 */
	static final int MIN_SIZE = 17 * 1024;

	/** Payload sizes vary up to this much above the smallest. */
	static final int SIZE_SPREAD = 16 * 1024;

	static Chunk of(long seq, long senderPid) {
		int size = MIN_SIZE + (int) Math.floorMod(seq * 7919, SIZE_SPREAD);
		byte[] payload = new byte[size];
		for (int i = 0; i < size; i++) {
			payload[i] = expected(seq, i);
		}
		return new Chunk(seq, senderPid, payload);
	}

	/**
	 * Returns whether the payload holds exactly what {@link #of} put there.
	 * @return true when intact
	 */
	boolean intact() {
		if (this.payload.length != MIN_SIZE + (int) Math.floorMod(this.seq * 7919, SIZE_SPREAD)) {
			return false;
		}
		for (int i = 0; i < this.payload.length; i++) {
			if (this.payload[i] != expected(this.seq, i)) {
				return false;
			}
		}
		return true;
	}

	private static byte expected(long seq, int index) {
		return (byte) (seq * 31 + index * 7 + (index >>> 8));
	}

}
