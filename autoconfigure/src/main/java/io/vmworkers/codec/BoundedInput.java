package io.vmworkers.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import java.util.Collection;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * A Kryo input over one received message that checks every count read from the message before anything is allocated
 * for it.
 *
 * <p>Kryo allocates arrays, strings and collections at the size the input declares. A corrupt or hostile frame could
 * declare two billion elements in ten bytes; this input refuses a count whose elements cannot fit in the bytes left in
 * the message (each element takes at least one byte, fixed-width primitives their width), so allocation stays
 * proportional to the bytes actually received. The serializers in {@link BoundedSerializers} and {@link JdkSerializers}
 * ask it the same before sizing their collections, and charge it for the hashing or comparing that inserting decoded
 * elements into sets and maps costs ({@link HashingGuard}).
 *
 * <p>The input is read from a byte array only, never a stream, so {@code limit - position} is the rest of the message.
 * Not thread-safe: one instance serves one decode at a time.
 */
final class BoundedInput extends Input {

	private static final byte[] NO_BYTES = new byte[0];

	// Keeps a few kilobytes of the string decoding buffer between messages, as Kryo would, but not a huge one.
	private static final int RETAINED_CHARS = 8 * 1024;

	private final int maxZeroByteElements;

	private final HashingGuard hashing;

	/**
	 * Creates an input for messages of at most {@code maxMessageSize} bytes.
	 *
	 * @param maxMessageSize largest message; also the most elements a collection may declare in Kryo's all-null form,
	 *     where the elements take no bytes at all
	 * @param maxDepth the Kryo depth limit, which hashing a decoded element may not exceed either
	 */
	BoundedInput(int maxMessageSize, int maxDepth) {
		this.maxZeroByteElements = maxMessageSize;
		this.hashing = new HashingGuard(maxDepth);
	}

	/**
	 * Starts decoding one message.
	 *
	 * @param message holds the message
	 * @param offset index of its first byte
	 * @param length its length
	 */
	void start(byte[] message, int offset, int length) {
		setBuffer(message, offset, length);
		hashing.start(length);
	}

	/** Ends the message: drops the caller's array and an oversized string buffer, so the pool pins neither. */
	void finish() {
		setBuffer(NO_BYTES);
		if (chars.length > RETAINED_CHARS) {
			chars = new char[32];
		}
	}

	/**
	 * Returns the bytes left in the message.
	 * @return {@code limit - position}
	 */
	int remaining() {
		return limit - position;
	}

	/**
	 * Refuses a declared element count whose elements cannot fit in the rest of the message.
	 *
	 * @param count the count read from the message
	 * @param minBytesEach the fewest bytes one element takes
	 * @param what names the thing being read, for the message
	 * @throws KryoException if {@code count} is negative or needs more bytes than remain
	 */
	void checkCount(int count, int minBytesEach, String what) {
		if (count < 0 || (long) count * minBytesEach > remaining()) {
			throw new KryoException(what + " declares " + Integer.toUnsignedString(count) + " elements of at least "
					+ minBytesEach + " byte(s) each, but only " + remaining() + " bytes remain in the message; the "
					+ "frame is corrupt or was not written by this codec");
		}
	}

	/**
	 * Refuses a count of elements that take no bytes (Kryo's form for a collection whose elements are all null) above
	 * the message size limit.
	 *
	 * @param count the count read from the message
	 * @param what names the thing being read, for the message
	 * @throws KryoException if {@code count} is negative or above the limit
	 */
	void checkZeroByteCount(int count, String what) {
		if (count < 0 || count > maxZeroByteElements) {
			throw new KryoException(what + " declares " + Integer.toUnsignedString(count) + " null elements, more "
					+ "than the " + maxZeroByteElements + " allowed (vmworkers.channel.max-message-size); the frame is "
					+ "corrupt or was not written by this codec");
		}
	}

	/**
	 * Reads a positive variable-length int without consuming it.
	 * @return the int at the current position
	 */
	int peekVarInt() {
		int start = position;
		try {
			return readVarInt(true);
		}
		finally {
			position = start;
		}
	}

	/**
	 * Charges the work of hashing an element about to be inserted into a hash-based collection or map key set.
	 *
	 * @param kryo the decoding Kryo instance, whose current depth counts against the depth limit
	 * @param element the decoded element or key
	 * @throws KryoException if hashing it would recurse without end, deeper than the depth limit, or past the work
	 *     budget of this message
	 */
	void checkHashable(Kryo kryo, Object element) {
		hashing.check(element, kryo.getDepth());
	}

	/**
	 * Charges the work of inserting an element into a sorted set or as a sorted map key.
	 *
	 * @param element the decoded element or key
	 * @param size the elements already in the set or map
	 * @throws KryoException if the work of the message so far exceeds its budget
	 */
	void checkSorted(Object element, int size) {
		hashing.checkSorted(element, size);
	}

	/**
	 * Checks a count read from {@code input} when it is a {@link BoundedInput}; other inputs are not checked.
	 *
	 * @param input the input being read
	 * @param count the declared count
	 * @param minBytesEach the fewest bytes one element takes
	 * @param what names the thing being read
	 */
	static void checkCount(Input input, int count, int minBytesEach, String what) {
		if (input instanceof BoundedInput bounded) {
			bounded.checkCount(count, minBytesEach, what);
		}
	}

	/**
	 * Charges inserting {@code element} into {@code collection} when {@code input} is a {@link BoundedInput}: hashing
	 * for a hash-based collection, comparing for a sorted one.
	 *
	 * @param kryo the decoding Kryo instance
	 * @param input the input being read
	 * @param collection the collection about to receive the element
	 * @param element the element
	 */
	static void checkInsert(Kryo kryo, Input input, Collection<?> collection, Object element) {
		if (input instanceof BoundedInput bounded) {
			if (collection instanceof SortedSet) {
				bounded.checkSorted(element, collection.size());
			}
			else if (BoundedSerializers.hashesElements(collection)) {
				bounded.checkHashable(kryo, element);
			}
		}
	}

	/**
	 * Charges putting {@code key} into {@code map} when {@code input} is a {@link BoundedInput}: hashing for a
	 * hash-based map, comparing for a sorted one.
	 *
	 * @param kryo the decoding Kryo instance
	 * @param input the input being read
	 * @param map the map about to receive the key
	 * @param key the key
	 */
	static void checkPut(Kryo kryo, Input input, Map<?, ?> map, Object key) {
		if (input instanceof BoundedInput bounded) {
			if (map instanceof SortedMap) {
				bounded.checkSorted(key, map.size());
			}
			else if (BoundedSerializers.hashesKeys(map)) {
				bounded.checkHashable(kryo, key);
			}
		}
	}

	@Override
	public byte[] readBytes(int length) {
		checkCount(length, 1, "byte array");
		return super.readBytes(length);
	}

	@Override
	public int[] readInts(int length) {
		checkCount(length, Integer.BYTES, "int array");
		return super.readInts(length);
	}

	@Override
	public int[] readInts(int length, boolean optimizePositive) {
		checkCount(length, varEncoding ? 1 : Integer.BYTES, "int array");
		return super.readInts(length, optimizePositive);
	}

	@Override
	public long[] readLongs(int length) {
		checkCount(length, Long.BYTES, "long array");
		return super.readLongs(length);
	}

	@Override
	public long[] readLongs(int length, boolean optimizePositive) {
		checkCount(length, varEncoding ? 1 : Long.BYTES, "long array");
		return super.readLongs(length, optimizePositive);
	}

	@Override
	public float[] readFloats(int length) {
		checkCount(length, Float.BYTES, "float array");
		return super.readFloats(length);
	}

	@Override
	public double[] readDoubles(int length) {
		checkCount(length, Double.BYTES, "double array");
		return super.readDoubles(length);
	}

	@Override
	public short[] readShorts(int length) {
		checkCount(length, Short.BYTES, "short array");
		return super.readShorts(length);
	}

	@Override
	public char[] readChars(int length) {
		checkCount(length, Character.BYTES, "char array");
		return super.readChars(length);
	}

	@Override
	public boolean[] readBooleans(int length) {
		checkCount(length, 1, "boolean array");
		return super.readBooleans(length);
	}

	@Override
	public String readString() {
		checkUtf8Length();
		return super.readString();
	}

	@Override
	public StringBuilder readStringBuilder() {
		checkUtf8Length();
		return super.readStringBuilder();
	}

	/**
	 * Kryo writes a string either as ASCII bytes ending in a byte with the high bit set, which it reads without
	 * allocating ahead, or as a UTF-8 char count (plus one; 0 is null) followed by the chars, for which it allocates
	 * the char buffer up front. Each UTF-8 char takes one to three bytes.
	 */
	private void checkUtf8Length() {
		if (!readVarIntFlag()) {
			return;
		}
		int start = position;
		int countPlusOne = readVarIntFlag(true);
		position = start;
		if (countPlusOne != 0) {
			checkCount(countPlusOne - 1, 1, "string");
		}
	}
}
