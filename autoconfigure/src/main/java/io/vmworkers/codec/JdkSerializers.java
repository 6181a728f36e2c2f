package io.vmworkers.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.URISerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.UUIDSerializer;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Kryo serializers for allowed JDK classes that Kryo's defaults get wrong on Java 17.
 *
 * <p>Without these, Kryo would reflect into {@code java.base} private fields (which Java 17 refuses without
 * {@code --add-opens}), fail to construct the collection, or refuse values the JDK class admits. Every serializer
 * here uses public JDK API only, and reads like those of {@link BoundedSerializers}: counts are checked against the
 * rest of the message before anything is sized by them, and elements against {@link HashingGuard} before a set or
 * map key set hashes them.
 */
final class JdkSerializers {

	private JdkSerializers() {
	}

	/**
	 * Adds the serializers as Kryo defaults, so the classes still reach the allow-list through implicit registration.
	 *
	 * @param kryo the instance to configure
	 */
	static void addDefaults(Kryo kryo) {
		kryo.addDefaultSerializer(URI.class, new URISerializer());
		kryo.addDefaultSerializer(UUID.class, new UUIDSerializer());
		kryo.addDefaultSerializer(EnumMap.class, new EnumMapSerializer());
		// Set.of and Map.of keep Kryo's own ImmutableCollectionsSerializers, which Kryo installs by default.
		ImmutableListSerializer immutableList = new ImmutableListSerializer();
		kryo.addDefaultSerializer(List.of().getClass(), immutableList);
		kryo.addDefaultSerializer(List.of(0).getClass(), immutableList);
		kryo.addDefaultSerializer(List.of(0, 1, 2).subList(0, 2).getClass(), immutableList);
		kryo.addDefaultSerializer(Collections.unmodifiableSortedSet(new TreeSet<>()).getClass(),
				new UnmodifiableCollectionSerializer(CollectionShape.SORTED_SET));
		kryo.addDefaultSerializer(Collections.unmodifiableSet(new HashSet<>()).getClass(),
				new UnmodifiableCollectionSerializer(CollectionShape.SET));
		kryo.addDefaultSerializer(Collections.unmodifiableList(new ArrayList<>()).getClass(),
				new UnmodifiableCollectionSerializer(CollectionShape.LIST));
		kryo.addDefaultSerializer(Collections.unmodifiableList(new LinkedList<>()).getClass(),
				new UnmodifiableCollectionSerializer(CollectionShape.SEQUENTIAL_LIST));
		kryo.addDefaultSerializer(Collections.unmodifiableCollection(new ArrayList<>()).getClass(),
				new UnmodifiableCollectionSerializer(CollectionShape.COLLECTION));
		kryo.addDefaultSerializer(Collections.unmodifiableSortedMap(new TreeMap<>()).getClass(),
				new UnmodifiableMapSerializer(true));
		kryo.addDefaultSerializer(Collections.unmodifiableMap(new HashMap<>()).getClass(),
				new UnmodifiableMapSerializer(false));
	}

	/**
	 * Writes the JDK's immutable lists ({@code List.of}, {@code List.copyOf}, {@code Stream.toList}).
	 *
	 * <p>Kryo's serializer for them refuses null elements, but {@code Stream.toList} returns the same class holding
	 * nulls; this one rebuilds such a list with {@code Stream.toList} and every other one with {@code List.of}.
	 */
	private static final class ImmutableListSerializer extends Serializer<List<Object>> {

		@Override
		public void write(Kryo kryo, Output output, List<Object> list) {
			output.writeVarInt(list.size(), true);
			for (Object element : list) {
				kryo.writeClassAndObject(output, element);
			}
		}

		@Override
		public List<Object> read(Kryo kryo, Input input, Class<? extends List<Object>> type) {
			int size = input.readVarInt(true);
			BoundedInput.checkCount(input, size, 1, "immutable list");
			Object[] elements = new Object[size];
			boolean hasNull = false;
			for (int i = 0; i < elements.length; i++) {
				elements[i] = kryo.readClassAndObject(input);
				hasNull |= elements[i] == null;
			}
			return hasNull ? Arrays.stream(elements).toList() : List.of(elements);
		}
	}

	/** How an unmodifiable collection wrapper is rebuilt: the backing collection and the wrapping factory. */
	private enum CollectionShape {
		COLLECTION {
			@Override
			Collection<Object> newBacking(Comparator<Object> comparator) {
				return new ArrayList<>();
			}

			@Override
			Collection<Object> wrap(Collection<Object> backing) {
				return Collections.unmodifiableCollection(backing);
			}
		},
		LIST {
			@Override
			Collection<Object> newBacking(Comparator<Object> comparator) {
				return new ArrayList<>();
			}

			@Override
			Collection<Object> wrap(Collection<Object> backing) {
				return Collections.unmodifiableList((List<Object>) backing);
			}
		},
		SEQUENTIAL_LIST {
			@Override
			Collection<Object> newBacking(Comparator<Object> comparator) {
				// Without RandomAccess, so the wrapper is the same class as the sender's.
				return new LinkedList<>();
			}

			@Override
			Collection<Object> wrap(Collection<Object> backing) {
				return Collections.unmodifiableList((List<Object>) backing);
			}
		},
		SET {
			@Override
			Collection<Object> newBacking(Comparator<Object> comparator) {
				// Keeps the sender's iteration order.
				return new LinkedHashSet<>();
			}

			@Override
			Collection<Object> wrap(Collection<Object> backing) {
				return Collections.unmodifiableSet((Set<Object>) backing);
			}
		},
		SORTED_SET {
			@Override
			Collection<Object> newBacking(Comparator<Object> comparator) {
				return new TreeSet<>(comparator);
			}

			@Override
			Collection<Object> wrap(Collection<Object> backing) {
				return Collections.unmodifiableSortedSet((SortedSet<Object>) backing);
			}
		};

		abstract Collection<Object> newBacking(Comparator<Object> comparator);

		abstract Collection<Object> wrap(Collection<Object> backing);
	}

	/** Writes the elements of a {@code Collections.unmodifiable*} collection and reads them into an equal wrapper. */
	private static final class UnmodifiableCollectionSerializer extends Serializer<Collection<Object>> {

		private final CollectionShape shape;

		UnmodifiableCollectionSerializer(CollectionShape shape) {
			this.shape = shape;
		}

		@Override
		public void write(Kryo kryo, Output output, Collection<Object> collection) {
			if (shape == CollectionShape.SORTED_SET) {
				kryo.writeClassAndObject(output, ((SortedSet<Object>) collection).comparator());
			}
			output.writeVarInt(collection.size(), true);
			for (Object element : collection) {
				kryo.writeClassAndObject(output, element);
			}
		}

		@Override
		@SuppressWarnings("unchecked")
		public Collection<Object> read(Kryo kryo, Input input, Class<? extends Collection<Object>> type) {
			Comparator<Object> comparator =
					shape == CollectionShape.SORTED_SET ? (Comparator<Object>) kryo.readClassAndObject(input) : null;
			Collection<Object> backing = shape.newBacking(comparator);
			int size = input.readVarInt(true);
			BoundedInput.checkCount(input, size, 1, "unmodifiable collection");
			for (int remaining = size; remaining > 0; remaining--) {
				Object element = kryo.readClassAndObject(input);
				BoundedInput.checkInsert(kryo, input, backing, element);
				backing.add(element);
			}
			return shape.wrap(backing);
		}
	}

	/** Writes the entries of a {@code Collections.unmodifiable*Map} and reads them into an equal wrapper. */
	private static final class UnmodifiableMapSerializer extends Serializer<Map<Object, Object>> {

		private final boolean sorted;

		UnmodifiableMapSerializer(boolean sorted) {
			this.sorted = sorted;
		}

		@Override
		public void write(Kryo kryo, Output output, Map<Object, Object> map) {
			if (sorted) {
				kryo.writeClassAndObject(output, ((SortedMap<Object, Object>) map).comparator());
			}
			output.writeVarInt(map.size(), true);
			for (Map.Entry<Object, Object> entry : map.entrySet()) {
				kryo.writeClassAndObject(output, entry.getKey());
				kryo.writeClassAndObject(output, entry.getValue());
			}
		}

		@Override
		@SuppressWarnings("unchecked")
		public Map<Object, Object> read(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type) {
			if (sorted) {
				TreeMap<Object, Object> backing = new TreeMap<>((Comparator<Object>) kryo.readClassAndObject(input));
				readEntries(kryo, input, backing);
				return Collections.unmodifiableSortedMap(backing);
			}
			// Keeps the sender's iteration order.
			Map<Object, Object> backing = new LinkedHashMap<>();
			readEntries(kryo, input, backing);
			return Collections.unmodifiableMap(backing);
		}

		private static void readEntries(Kryo kryo, Input input, Map<Object, Object> backing) {
			int size = input.readVarInt(true);
			// A key and a value take at least a byte each.
			BoundedInput.checkCount(input, size, 2, "unmodifiable map");
			for (int remaining = size; remaining > 0; remaining--) {
				Object key = kryo.readClassAndObject(input);
				Object value = kryo.readClassAndObject(input);
				BoundedInput.checkPut(kryo, input, backing, key);
				backing.put(key, value);
			}
		}
	}

	/**
	 * Writes an {@link EnumMap} as its key enum class and ordinal/value pairs.
	 *
	 * <p>Kryo's own EnumMapSerializer is bound to one key type, and its map fallback cannot construct an EnumMap.
	 */
	@SuppressWarnings({"rawtypes", "unchecked"})
	private static final class EnumMapSerializer extends Serializer<EnumMap> {

		@Override
		public void write(Kryo kryo, Output output, EnumMap map) {
			kryo.writeClass(output, keyType(map));
			output.writeVarInt(map.size(), true);
			for (Object o : map.entrySet()) {
				Map.Entry<Enum<?>, Object> entry = (Map.Entry<Enum<?>, Object>) o;
				output.writeVarInt(entry.getKey().ordinal(), true);
				kryo.writeClassAndObject(output, entry.getValue());
			}
		}

		@Override
		public EnumMap read(Kryo kryo, Input input, Class<? extends EnumMap> type) {
			Class keyType = kryo.readClass(input).getType();
			if (!keyType.isEnum()) {
				throw new KryoException("EnumMap key type " + keyType.getName() + " is not an enum; the frame is "
						+ "corrupt or was written by another codec");
			}
			EnumMap map = new EnumMap(keyType);
			// Registered before the values are read so that a value referring back to the map resolves to it.
			kryo.reference(map);
			Object[] constants = keyType.getEnumConstants();
			int size = input.readVarInt(true);
			// An ordinal and a value take at least a byte each.
			BoundedInput.checkCount(input, size, 2, "EnumMap");
			for (int remaining = size; remaining > 0; remaining--) {
				int ordinal = input.readVarInt(true);
				if (ordinal < 0 || ordinal >= constants.length) {
					throw new KryoException("EnumMap key ordinal=" + ordinal + " is out of range for "
							+ keyType.getName() + " with " + constants.length + " constants; the sender's enum "
							+ "differs, deploy the same class on both sides");
				}
				map.put(constants[ordinal], kryo.readClassAndObject(input));
			}
			return map;
		}

		private static Class<?> keyType(EnumMap<?, ?> map) {
			if (!map.isEmpty()) {
				return map.keySet().iterator().next().getDeclaringClass();
			}
			// An empty EnumMap has no key to ask, and its keyType field is closed to reflection on Java 17; its Java
			// serialization form names the key type, so the class is taken from there.
			try (KeyTypeProbe probe = new KeyTypeProbe()) {
				probe.writeObject(map);
				return probe.keyType;
			} catch (IOException e) {
				throw new UncheckedIOException("could not read the key type of an empty EnumMap", e);
			}
		}
	}

	/** Captures the first enum class described while an EnumMap is written by Java serialization. */
	private static final class KeyTypeProbe extends ObjectOutputStream {

		private Class<?> keyType;

		KeyTypeProbe() throws IOException {
			super(OutputStream.nullOutputStream());
		}

		@Override
		protected void annotateClass(Class<?> type) {
			if (keyType == null && type.isEnum()) {
				keyType = type;
			}
		}
	}
}
