package io.vmworkers.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.BooleanArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ObjectArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.StringArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.ArraysAsListSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.ConcurrentSkipListMapSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.PriorityQueueSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.TreeMapSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.TreeSetSerializer;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers.JdkImmutableListSerializer;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers.JdkImmutableMapSerializer;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers.JdkImmutableSetSerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import com.esotericsoftware.kryo.util.Generics.GenericType;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;

/**
 * Replaces the Kryo serializers that size an allocation by a count read from the input with versions that check the
 * count against the rest of the message first (see {@link BoundedInput}).
 *
 * <p>The replacements write exactly what Kryo writes, by inheriting its {@code write}, so encoding is unchanged. Their
 * {@code read} mirrors Kryo 5.6's, adding the count check before the allocation and, for hash-based collections and
 * maps, the hashing or comparing check before each insertion. A serializer is replaced only when it is of exactly one
 * of Kryo's classes listed in {@link #bound}; Kryo's other serializers reachable from the allow-list allocate nothing
 * from the input and insert nothing into sets or maps (enum sets, singletons, empty collections), or read through
 * {@link BoundedInput}'s checked methods (primitive arrays, strings, {@code BigInteger}, {@code BigDecimal},
 * {@code BitSet}).
 */
final class BoundedSerializers {

	private BoundedSerializers() {
	}

	/**
	 * Returns the bounded replacement of a default serializer Kryo chose for a class, or the serializer itself.
	 *
	 * @param kryo the instance the serializer is for
	 * @param type the registered class
	 * @param serializer the serializer Kryo chose
	 * @return the serializer to register
	 */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	static Serializer bound(Kryo kryo, Class<?> type, Serializer serializer) {
		Class<?> kind = serializer.getClass();
		if (kind == CollectionSerializer.class) {
			return new BoundedCollectionSerializer();
		}
		if (kind == MapSerializer.class) {
			return new BoundedMapSerializer();
		}
		if (kind == ObjectArraySerializer.class) {
			return new BoundedObjectArraySerializer(kryo, type);
		}
		if (kind == StringArraySerializer.class) {
			return new BoundedStringArraySerializer();
		}
		if (kind == BooleanArraySerializer.class) {
			return new BoundedBooleanArraySerializer();
		}
		if (kind == ArraysAsListSerializer.class) {
			return new BoundedArraysAsListSerializer();
		}
		if (kind == PriorityQueueSerializer.class) {
			return new BoundedPriorityQueueSerializer();
		}
		if (kind == JdkImmutableListSerializer.class) {
			return new BoundedImmutableListSerializer();
		}
		if (kind == JdkImmutableSetSerializer.class) {
			return new BoundedImmutableSetSerializer();
		}
		if (kind == JdkImmutableMapSerializer.class) {
			return new BoundedImmutableMapSerializer();
		}
		if (kind == TreeSetSerializer.class) {
			return new BoundedTreeSetSerializer();
		}
		if (kind == TreeMapSerializer.class) {
			return new BoundedSortedMapSerializer(TreeMap.class, TreeMap::new);
		}
		if (kind == ConcurrentSkipListMapSerializer.class) {
			return new BoundedSortedMapSerializer(ConcurrentSkipListMap.class, ConcurrentSkipListMap::new);
		}
		return serializer;
	}

	/**
	 * Tells whether adding to a collection hashes the element: sets other than sorted ones, and application
	 * collections other than lists, whose {@code add} is unknown.
	 */
	static boolean hashesElements(Collection<?> collection) {
		if (collection instanceof Set) {
			return !(collection instanceof SortedSet);
		}
		return !(collection instanceof List) && collection.getClass().getClassLoader() != null;
	}

	/** Tells whether putting into a map hashes the key: every allowed map except the sorted ones and EnumMap. */
	static boolean hashesKeys(Map<?, ?> map) {
		return !(map instanceof SortedMap) && !(map instanceof EnumMap);
	}

	/** The allocation Kryo sizes by the declared count, capped by the bytes that could hold the elements. */
	private static int capacityFor(Input input, int count) {
		return input instanceof BoundedInput bounded ? Math.min(count, bounded.remaining()) : count;
	}

	/** Checks the count that an array serializer reads first (the length plus one, 0 for null) without consuming it. */
	private static void checkLeadingCount(Input input, int minBytesEach, String what) {
		if (input instanceof BoundedInput bounded) {
			int countPlusOne = bounded.peekVarInt();
			if (countPlusOne != 0) {
				bounded.checkCount(countPlusOne - 1, minBytesEach, what);
			}
		}
	}

	/**
	 * Kryo's {@link CollectionSerializer} with the element count checked, the initial capacity capped, and elements
	 * checked before a set hashes them.
	 */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	static class BoundedCollectionSerializer<T extends Collection> extends CollectionSerializer<T> {

		private boolean elementsCanBeNull = true;

		@Override
		public void setElementsCanBeNull(boolean elementsCanBeNull) {
			super.setElementsCanBeNull(elementsCanBeNull);
			this.elementsCanBeNull = elementsCanBeNull;
		}

		@Override
		public T read(Kryo kryo, Input input, Class<? extends T> type) {
			Class elementClass = getElementClass();
			Serializer elementSerializer = getElementSerializer();
			if (elementSerializer == null) {
				Class genericClass = kryo.getGenerics().nextGenericClass();
				if (genericClass != null && kryo.isFinal(genericClass)) {
					elementSerializer = kryo.getSerializer(genericClass);
					elementClass = genericClass;
				}
			}
			try {
				boolean elementsCanBeNull = this.elementsCanBeNull;
				boolean sameType = false;
				int length;
				if (elementSerializer != null) {
					if (elementsCanBeNull) {
						elementsCanBeNull = input.readVarIntFlag();
						length = input.readVarIntFlag(true);
					}
					else {
						length = input.readVarInt(true);
					}
				}
				else {
					sameType = input.readVarIntFlag();
					length = input.readVarIntFlag(true);
				}
				if (length == 0) {
					return null;
				}
				length--;
				if (length < 0) {
					BoundedInput.checkCount(input, length, 1, "collection");
				}
				T collection = create(kryo, input, type, capacityFor(input, length));
				kryo.reference(collection);
				if (length == 0) {
					return collection;
				}
				if (elementSerializer == null && sameType) {
					Registration registration = kryo.readClass(input);
					if (registration == null) {
						// Kryo's form for a collection whose elements are all null: they take no bytes.
						if (input instanceof BoundedInput bounded) {
							bounded.checkZeroByteCount(length, "collection");
						}
						for (int i = 0; i < length; i++) {
							collection.add(null);
						}
						// Kryo pops here and again in finally; kept for the same generics state.
						kryo.getGenerics().popGenericType();
						return collection;
					}
					elementClass = registration.getType();
					elementSerializer = kryo.getSerializer(elementClass);
					if (elementsCanBeNull) {
						elementsCanBeNull = input.readBoolean();
					}
				}
				BoundedInput.checkCount(input, length, 1, "collection");
				for (int i = 0; i < length; i++) {
					Object element;
					if (elementSerializer == null) {
						element = kryo.readClassAndObject(input);
					}
					else if (elementsCanBeNull) {
						element = kryo.readObjectOrNull(input, elementClass, elementSerializer);
					}
					else {
						element = kryo.readObject(input, elementClass, elementSerializer);
					}
					BoundedInput.checkInsert(kryo, input, collection, element);
					collection.add(element);
				}
				return collection;
			}
			finally {
				kryo.getGenerics().popGenericType();
			}
		}
	}

	/** Kryo's {@link MapSerializer} with the entry count checked and keys checked before the map hashes them. */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	static class BoundedMapSerializer<T extends Map> extends MapSerializer<T> {

		private boolean keysCanBeNull = true;

		private boolean valuesCanBeNull = true;

		@Override
		public void setKeysCanBeNull(boolean keysCanBeNull) {
			super.setKeysCanBeNull(keysCanBeNull);
			this.keysCanBeNull = keysCanBeNull;
		}

		@Override
		public void setValuesCanBeNull(boolean valuesCanBeNull) {
			super.setValuesCanBeNull(valuesCanBeNull);
			this.valuesCanBeNull = valuesCanBeNull;
		}

		@Override
		public T read(Kryo kryo, Input input, Class<? extends T> type) {
			int length = input.readVarInt(true);
			if (length == 0) {
				return null;
			}
			length--;
			// A key and a value take at least a byte each.
			BoundedInput.checkCount(input, length, 2, "map");
			T map = create(kryo, input, type, length);
			kryo.reference(map);
			if (length == 0) {
				return map;
			}
			Class keyClass = getKeyClass();
			Class valueClass = getValueClass();
			Serializer keySerializer = getKeySerializer();
			Serializer valueSerializer = getValueSerializer();
			GenericType[] genericTypes = kryo.getGenerics().nextGenericTypes();
			if (genericTypes != null) {
				if (keySerializer == null) {
					Class genericClass = genericTypes[0].resolve(kryo.getGenerics());
					if (genericClass != null && kryo.isFinal(genericClass)) {
						keySerializer = kryo.getSerializer(genericClass);
						keyClass = genericClass;
					}
				}
				if (valueSerializer == null) {
					Class genericClass = genericTypes[1].resolve(kryo.getGenerics());
					if (genericClass != null && kryo.isFinal(genericClass)) {
						valueSerializer = kryo.getSerializer(genericClass);
						valueClass = genericClass;
					}
				}
			}
			for (int i = 0; i < length; i++) {
				if (genericTypes != null) {
					kryo.getGenerics().pushGenericType(genericTypes[0]);
				}
				Object key;
				if (keySerializer == null) {
					key = kryo.readClassAndObject(input);
				}
				else if (keysCanBeNull) {
					key = kryo.readObjectOrNull(input, keyClass, keySerializer);
				}
				else {
					key = kryo.readObject(input, keyClass, keySerializer);
				}
				if (genericTypes != null) {
					kryo.getGenerics().popGenericType();
				}
				Object value;
				if (valueSerializer == null) {
					value = kryo.readClassAndObject(input);
				}
				else if (valuesCanBeNull) {
					value = kryo.readObjectOrNull(input, valueClass, valueSerializer);
				}
				else {
					value = kryo.readObject(input, valueClass, valueSerializer);
				}
				BoundedInput.checkPut(kryo, input, map, key);
				map.put(key, value);
			}
			kryo.getGenerics().popGenericType();
			return map;
		}
	}

	/** Kryo's {@link ObjectArraySerializer} with the length checked before the array is allocated. */
	static final class BoundedObjectArraySerializer extends ObjectArraySerializer {

		BoundedObjectArraySerializer(Kryo kryo, Class<?> type) {
			super(kryo, type);
		}

		@Override
		@SuppressWarnings("rawtypes")
		public Object[] read(Kryo kryo, Input input, Class type) {
			checkLeadingCount(input, 1, "object array");
			return super.read(kryo, input, type);
		}
	}

	/** Kryo's {@link StringArraySerializer} with the length checked before the array is allocated. */
	static final class BoundedStringArraySerializer extends StringArraySerializer {

		@Override
		@SuppressWarnings("rawtypes")
		public String[] read(Kryo kryo, Input input, Class type) {
			checkLeadingCount(input, 1, "String array");
			return super.read(kryo, input, type);
		}
	}

	/** Kryo's {@link BooleanArraySerializer}, which allocates itself instead of through the input, bounded. */
	static final class BoundedBooleanArraySerializer extends BooleanArraySerializer {

		@Override
		@SuppressWarnings("rawtypes")
		public boolean[] read(Kryo kryo, Input input, Class type) {
			checkLeadingCount(input, 1, "boolean array");
			return super.read(kryo, input, type);
		}
	}

	/** Kryo's {@link PriorityQueueSerializer}, which sizes the queue by the declared count, bounded. */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	static final class BoundedPriorityQueueSerializer extends PriorityQueueSerializer {

		@Override
		protected PriorityQueue create(Kryo kryo, Input input, Class<? extends PriorityQueue> type, int size) {
			BoundedInput.checkCount(input, size, 1, "priority queue");
			return super.create(kryo, input, type, size);
		}
	}

	/**
	 * Creates a sorted collection or map as Kryo's serializers for them do: the base class (also for a subclass sent
	 * without a comparator), otherwise the subclass's public constructor taking the comparator.
	 */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static <T> T newSorted(Class<?> type, Class<?> base, Comparator comparator,
			Function<Comparator, ? extends T> baseConstructor) {
		if (type == base || comparator == null) {
			return baseConstructor.apply(comparator);
		}
		try {
			Constructor<?> constructor = type.getConstructor(Comparator.class);
			constructor.trySetAccessible();
			return (T) constructor.newInstance(comparator);
		}
		catch (Exception ex) {
			throw new KryoException(ex);
		}
	}

	/** Kryo's {@code TreeSet} serializer (the comparator, then the elements) on the bounded collection reader. */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	static final class BoundedTreeSetSerializer extends BoundedCollectionSerializer<TreeSet> {

		@Override
		protected void writeHeader(Kryo kryo, Output output, TreeSet set) {
			kryo.writeClassAndObject(output, set.comparator());
		}

		@Override
		protected TreeSet create(Kryo kryo, Input input, Class<? extends TreeSet> type, int size) {
			return newSorted(type, TreeSet.class, (Comparator) kryo.readClassAndObject(input), TreeSet::new);
		}
	}

	/** Kryo's {@code TreeMap} and {@code ConcurrentSkipListMap} serializers on the bounded map reader. */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	static final class BoundedSortedMapSerializer extends BoundedMapSerializer<SortedMap> {

		private final Class<?> base;

		private final Function<Comparator, SortedMap> baseConstructor;

		BoundedSortedMapSerializer(Class<?> base, Function<Comparator, SortedMap> baseConstructor) {
			this.base = base;
			this.baseConstructor = baseConstructor;
		}

		@Override
		protected void writeHeader(Kryo kryo, Output output, SortedMap map) {
			kryo.writeClassAndObject(output, map.comparator());
		}

		@Override
		protected SortedMap create(Kryo kryo, Input input, Class<? extends SortedMap> type, int size) {
			return newSorted(type, base, (Comparator) kryo.readClassAndObject(input), baseConstructor);
		}
	}

	/** Kryo's {@code Arrays.asList} serializer on the bounded collection reader. */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	static final class BoundedArraysAsListSerializer extends BoundedCollectionSerializer<List> {

		@Override
		protected List create(Kryo kryo, Input input, Class type, int size) {
			return new ArrayList(size);
		}

		@Override
		public List read(Kryo kryo, Input input, Class<? extends List> type) {
			List list = super.read(kryo, input, type);
			return list == null ? null : Arrays.asList(list.toArray());
		}
	}

	/** Kryo's {@code List.of} serializer on the bounded collection reader. */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	static final class BoundedImmutableListSerializer extends BoundedCollectionSerializer<List> {

		BoundedImmutableListSerializer() {
			setElementsCanBeNull(false);
		}

		@Override
		protected List create(Kryo kryo, Input input, Class type, int size) {
			return new ArrayList(size);
		}

		@Override
		public List read(Kryo kryo, Input input, Class<? extends List> type) {
			List list = super.read(kryo, input, type);
			return list == null ? null : List.of(list.toArray());
		}
	}

	/** Kryo's {@code Set.of} serializer on the bounded collection reader. */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	static final class BoundedImmutableSetSerializer extends BoundedCollectionSerializer<Set> {

		BoundedImmutableSetSerializer() {
			setElementsCanBeNull(false);
		}

		@Override
		protected Set create(Kryo kryo, Input input, Class type, int size) {
			return new HashSet();
		}

		@Override
		public Set read(Kryo kryo, Input input, Class<? extends Set> type) {
			Set set = super.read(kryo, input, type);
			return set == null ? null : Set.of(set.toArray());
		}
	}

	/** Kryo's {@code Map.of} serializer on the bounded map reader. */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	static final class BoundedImmutableMapSerializer extends BoundedMapSerializer<Map> {

		BoundedImmutableMapSerializer() {
			setKeysCanBeNull(false);
			setValuesCanBeNull(false);
		}

		@Override
		protected Map create(Kryo kryo, Input input, Class type, int size) {
			return new HashMap();
		}

		@Override
		public Map read(Kryo kryo, Input input, Class<? extends Map> type) {
			Map map = super.read(kryo, input, type);
			return map == null ? null : Map.copyOf(map);
		}
	}
}
