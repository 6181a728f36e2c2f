package io.vmworkers.codec;

import com.esotericsoftware.kryo.KryoException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bounds the hashing and comparing that decoding a message causes.
 *
 * <p>Inserting a decoded element into a {@code HashSet}, {@code Set.of} or as a {@code HashMap} key calls its
 * {@code hashCode}, which for collections, maps, optionals and records recurses into their contents. With Kryo's
 * references a few bytes describe graphs whose hashing never ends: a list that contains itself (a
 * {@link StackOverflowError}), or lists that each hold the next one twice (2<sup>n</sup> work from n levels, the
 * "billion laughs" of serialization). Before such an insertion this guard walks the element as {@code hashCode}
 * would, without calling it, and refuses the message when the walk is deeper than the depth limit or the work of
 * the message so far exceeds a budget proportional to its length. A tree-shaped graph costs at most one unit per
 * object for each hash-based collection it is nested in, so ordinary messages never come near the budget.
 *
 * <p>The walk over-approximates: an application class that overrides {@code hashCode} is walked through all its
 * instance fields, whatever its {@code hashCode} reads. JDK value classes, enums, arrays (identity hash codes) and
 * classes that keep {@code Object.hashCode} cost one unit, except those whose hash code is not cached and grows with
 * their size ({@code BigInteger}, {@code BigDecimal}, {@code BitSet}), charged by size: a message could otherwise insert
 * a million references to one huge number. Fields the codec cannot open (a class in a named module that does not open
 * its package) are skipped.
 *
 * <p>Sorted sets and map keys compare instead of hashing: an insertion is charged the cost of one comparison of the
 * element (by length for strings, numbers and URIs, which compare in time proportional to it, even with themselves)
 * times the depth of the tree. What an application comparator or {@code compareTo} does is its own.
 */
final class HashingGuard {

	/**
	 * Units of work allowed per message byte, on top of {@link #BASE_BUDGET}. A unit is one object visited or about
	 * 64 bytes compared; a tree-shaped graph costs one unit per object and enclosing hash-based collection.
	 */
	static final int BUDGET_PER_BYTE = 16;

	/** Units allowed for any message, so that small messages with shared objects are not refused. */
	static final long BASE_BUDGET = 1 << 20;

	/** Marks a class whose hash code reads no other object. */
	private static final Field[] NO_FIELDS = new Field[0];

	/** Marks a collection, map, map entry or optional, walked through its contents. */
	private static final Field[] CONTENTS = new Field[0];

	private static final ClassValue<Field[]> HASHED_FIELDS = new ClassValue<>() {
		@Override
		protected Field[] computeValue(Class<?> type) {
			return hashedFields(type);
		}
	};

	private final int maxDepth;

	private long budget;

	/**
	 * Creates a guard.
	 *
	 * @param maxDepth the deepest nesting, counting the Kryo depth at which the insertion happens, that hashing may
	 *     reach; the same limit Kryo applies to reading
	 */
	HashingGuard(int maxDepth) {
		this.maxDepth = maxDepth;
	}

	/**
	 * Resets the budget for a message.
	 * @param messageLength the message length in bytes
	 */
	void start(int messageLength) {
		budget = BASE_BUDGET + (long) BUDGET_PER_BYTE * messageLength;
	}

	/**
	 * Charges the hashing of one element.
	 *
	 * @param element the element about to be hashed
	 * @param kryoDepth the Kryo depth of the serializer inserting it
	 * @throws KryoException if hashing it would not end, would nest deeper than the limit or would exceed the budget
	 */
	void check(Object element, int kryoDepth) {
		walk(element, kryoDepth + 1);
	}

	/**
	 * Charges inserting an element into a sorted set or as a sorted map key.
	 *
	 * @param element the element about to be compared
	 * @param size the elements already in the set or map
	 * @throws KryoException if the work of the message so far exceeds the budget
	 */
	void checkSorted(Object element, int size) {
		charge(compareUnits(element) * (33 - Integer.numberOfLeadingZeros(size)));
	}

	private void charge(long units) {
		budget -= units;
		if (budget < 0) {
			throw new KryoException("hashing and comparing the decoded elements of this message costs more than its "
					+ "budget of " + BUDGET_PER_BYTE + " units per byte; the message shares objects so that hashing "
					+ "or comparing them explodes or never ends, and is refused");
		}
	}

	private void walk(Object value, int depth) {
		charge(1);
		if (value == null) {
			return;
		}
		Field[] fields = HASHED_FIELDS.get(value.getClass());
		if (fields == NO_FIELDS) {
			charge(sizeUnits(value));
			return;
		}
		if (depth > maxDepth) {
			throw new KryoException("hashing a decoded element would nest deeper than the max depth of " + maxDepth
					+ "; the message holds a cycle or too deep a chain of objects");
		}
		if (value instanceof Map<?, ?> map) {
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				walk(entry.getKey(), depth + 1);
				walk(entry.getValue(), depth + 1);
			}
		}
		else if (value instanceof Collection<?> collection) {
			for (Object element : collection) {
				walk(element, depth + 1);
			}
		}
		else if (value instanceof Map.Entry<?, ?> entry) {
			walk(entry.getKey(), depth + 1);
			walk(entry.getValue(), depth + 1);
		}
		else if (value instanceof Optional<?> optional) {
			walk(optional.orElse(null), depth + 1);
		}
		else {
			for (Field field : fields) {
				walk(read(field, value), depth + 1);
			}
		}
	}

	/** Extra units for hashing a JDK value whose hash code is computed anew, in time proportional to its size. */
	private static long sizeUnits(Object value) {
		if (value instanceof BigInteger integer) {
			return integer.bitLength() / 512;
		}
		if (value instanceof BigDecimal decimal) {
			return decimal.unscaledValue().bitLength() / 512;
		}
		if (value instanceof BitSet bits) {
			return bits.length() / 4096;
		}
		return 0;
	}

	/** Units for comparing a value with another of its kind. */
	private static long compareUnits(Object value) {
		if (value instanceof String string) {
			return 1 + string.length() / 64;
		}
		if (value instanceof URI uri) {
			return 1 + uri.toString().length() / 64;
		}
		return 1 + sizeUnits(value);
	}

	private static Object read(Field field, Object owner) {
		try {
			return field.get(owner);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException("field " + field + " was opened but cannot be read", ex);
		}
	}

	/**
	 * Returns {@link #NO_FIELDS} for a class whose hash code does not recurse into other objects, {@link #CONTENTS} for
	 * one walked through its contents, and otherwise the object fields to walk.
	 */
	private static Field[] hashedFields(Class<?> type) {
		if (Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type)
				|| Map.Entry.class.isAssignableFrom(type) || type == Optional.class) {
			return CONTENTS;
		}
		if (type.isArray() || type.isPrimitive()) {
			return NO_FIELDS;
		}
		Method hashCode;
		try {
			hashCode = type.getMethod("hashCode");
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(type + " has no hashCode method", ex);
		}
		// Object's identity hash and the JDK's value classes (String, boxes, java.time, UUID, BigDecimal, enums...) do
		// not reach objects a message can choose; the JDK classes that do are the collections handled above.
		if (hashCode.getDeclaringClass().getClassLoader() == null) {
			return NO_FIELDS;
		}
		List<Field> fields = new ArrayList<>();
		for (Class<?> c = type; c != null && c.getClassLoader() != null; c = c.getSuperclass()) {
			for (Field field : c.getDeclaredFields()) {
				if (!Modifier.isStatic(field.getModifiers()) && !field.getType().isPrimitive()
						&& field.trySetAccessible()) {
					fields.add(field);
				}
			}
		}
		// Without object fields its hash code can only read primitives.
		return fields.isEmpty() ? NO_FIELDS : fields.toArray(Field[]::new);
	}
}
