package io.vmworkers.benchmarks;

/**
 * Little-endian numbers in byte arrays, for the raw references, which have no codec on purpose.
 */
final class Bytes {

	private Bytes() {
	}

	static void putInt(byte[] bytes, int offset, int value) {
		for (int i = 0; i < 4; i++) {
			bytes[offset + i] = (byte) (value >>> (8 * i));
		}
	}

	static int getInt(byte[] bytes, int offset) {
		int value = 0;
		for (int i = 0; i < 4; i++) {
			value |= (bytes[offset + i] & 0xFF) << (8 * i);
		}
		return value;
	}

	static void putLong(byte[] bytes, int offset, long value) {
		for (int i = 0; i < 8; i++) {
			bytes[offset + i] = (byte) (value >>> (8 * i));
		}
	}

	static long getLong(byte[] bytes, int offset) {
		long value = 0;
		for (int i = 0; i < 8; i++) {
			value |= (bytes[offset + i] & 0xFFL) << (8 * i);
		}
		return value;
	}

}
