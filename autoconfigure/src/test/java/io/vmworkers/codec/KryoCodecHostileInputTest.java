package io.vmworkers.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
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
import java.lang.management.ManagementFactory;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decoding bytes that no codec wrote: every count read from the input is checked before anything is allocated for it,
 * nesting and hashing are bounded, and whatever the bytes the failure is an ordinary exception.
 */
final class KryoCodecHostileInputTest {

	private static final int MAX_MESSAGE_SIZE = 1 << 20;

	/** A count whose elements would need gigabytes: the brief's int[] claiming 2^30 elements. */
	private static final int HUGE = 1 << 30;

	/** Allocation allowed for refusing a crafted message: the refusal and its message, nothing sized by the count. */
	private static final long ALLOCATION_LIMIT = 256 * 1024;

	@TempDir
	static Path outsideClasses;

	private static URLClassLoader loader;

	private final KryoCodec codec = new KryoCodec(new ClassAllowList(List.of("io.vmworkers.codec")),
			KryoCodecHostileInputTest.class.getClassLoader(), MAX_MESSAGE_SIZE);

	/** Writes every class by name, a form the input may always take, which {@link #reclassed} rewrites. */
	private final KryoCodec byName = new KryoCodec(new ClassAllowList(List.of("io.vmworkers.codec")),
			KryoCodecHostileInputTest.class.getClassLoader(), MAX_MESSAGE_SIZE, KryoCodec.MAX_DEPTH, List.of());

	record Pair(Object left, Object right) {
	}

	/** A mutable application class with a value hash code over its fields. */
	static final class Bag {

		Object content;

		@Override
		public boolean equals(Object other) {
			return other instanceof Bag bag && java.util.Objects.equals(content, bag.content);
		}

		@Override
		public int hashCode() {
			return java.util.Objects.hashCode(content);
		}
	}

	@BeforeAll
	static void compileOutsideClasses() {
		OutsideClasses.compileInto(outsideClasses);
		loader = OutsideClasses.newLoader(outsideClasses);
	}

	@AfterAll
	static void closeLoader() throws Exception {
		loader.close();
	}

	/**
	 * Each case: an empty value whose encoding ends in its element count, how many bytes at its end to replace, and
	 * how the count is written there.
	 */
	static Stream<Arguments> declaredCounts() {
		return Stream.of(
				count("int[]", new int[0], 1, varIntPlusOne()),
				count("long[]", new long[0], 1, varIntPlusOne()),
				count("short[]", new short[0], 1, varIntPlusOne()),
				count("char[]", new char[0], 1, varIntPlusOne()),
				count("byte[]", new byte[0], 1, varIntPlusOne()),
				count("float[]", new float[0], 1, varIntPlusOne()),
				count("double[]", new double[0], 1, varIntPlusOne()),
				count("boolean[]", new boolean[0], 1, varIntPlusOne()),
				count("String[]", new String[0], 1, varIntPlusOne()),
				count("Object[]", new Object[0], 1, varIntPlusOne()),
				count("record[]", new Pair[0], 1, varIntPlusOne()),
				count("long[][]", new long[0][], 1, varIntPlusOne()),
				count("String", "", 1, (out, n) -> out.writeVarIntFlag(true, n + 1, true)),
				count("BigInteger", BigInteger.ZERO, 2, varIntPlusOne()),
				count("BitSet", new BitSet(), 1, (out, n) -> out.writeVarInt(n, true)),
				count("ArrayList", new ArrayList<>(), 1, (out, n) -> out.writeVarIntFlag(false, n + 1, true)),
				count("HashSet", new HashSet<>(), 1, (out, n) -> out.writeVarIntFlag(false, n + 1, true)),
				count("HashMap", new HashMap<>(), 1, varIntPlusOne()),
				count("LinkedHashMap", new LinkedHashMap<>(), 1, varIntPlusOne()),
				count("List.of", List.of(), 1, (out, n) -> out.writeVarInt(n, true)),
				count("Set.of", Set.of(), 1, (out, n) -> out.writeVarIntFlag(false, n + 1, true)),
				count("Map.of", Map.of(), 1, varIntPlusOne()),
				count("Arrays.asList", Arrays.asList(), 1, (out, n) -> out.writeVarIntFlag(false, n + 1, true)),
				count("unmodifiableList", Collections.unmodifiableList(new ArrayList<>()), 1,
						(out, n) -> out.writeVarInt(n, true)),
				count("unmodifiableMap", Collections.unmodifiableMap(new HashMap<>()), 1,
						(out, n) -> out.writeVarInt(n, true)),
				count("EnumMap", new EnumMap<>(TimeUnit.class), 1, (out, n) -> out.writeVarInt(n, true)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("declaredCounts")
	void countLargerThanTheMessageIsRefusedBeforeAllocating(String label, Object empty, int replaced,
			CountWriter writer) {
		// The empty value really ends in its count: decoding it unchanged works.
		byte[] valid = encode(empty);
		assertThat(codec.decode(valid, 0, valid.length)).isNotNull();
		byte[] crafted = replaceEnd(valid, replaced, (out) -> writer.write(out, HUGE), 8);
		assertThat(crafted.length).isLessThan(128);

		long allocated = allocatedBy(() -> assertThatThrownBy(() -> codec.decode(crafted, 0, crafted.length))
				.isInstanceOf(KryoException.class)
				.hasMessageContaining("declares " + HUGE + " elements"));

		assertThat(allocated).as("bytes allocated refusing %s", label).isLessThan(ALLOCATION_LIMIT);
		assertThat(codec.decode(valid, 0, valid.length)).as("codec still works").isNotNull();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("declaredCounts")
	void negativeCountIsRefused(String label, Object empty, int replaced, CountWriter writer) {
		byte[] crafted = replaceEnd(encode(empty), replaced, (out) -> writer.write(out, -7), 8);

		assertThatThrownBy(() -> codec.decode(crafted, 0, crafted.length)).isInstanceOf(KryoException.class);
	}

	@Test
	void intArrayClaimingTwoToTheThirtyElementsInTenBytesIsRefusedFast() {
		byte[] prefix = encode(new int[0]);
		byte[] crafted = replaceEnd(prefix, 1, (out) -> out.writeVarInt(HUGE + 1, true), 0);
		assertThat(crafted).hasSizeLessThanOrEqualTo(10);

		long start = System.nanoTime();
		long allocated = allocatedBy(() -> assertThatThrownBy(() -> codec.decode(crafted, 0, crafted.length))
				.isInstanceOf(KryoException.class)
				.hasMessageContaining("int array declares 1073741824 elements of at least 1 byte(s) each"));

		assertThat(allocated).isLessThan(ALLOCATION_LIMIT);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
	}

	@Test
	void arraysAndStringsThatFitStillRoundTrip() {
		String unicode = "\u00e9\u4e2d\ud83d\ude00".repeat(1000);
		int[] ints = new int[10_000];
		Arrays.fill(ints, Integer.MIN_VALUE);

		assertThat(roundTrip(unicode)).isEqualTo(unicode);
		assertThat((int[]) roundTrip(ints)).isEqualTo(ints);
		assertThat((String[]) roundTrip(new String[] {"a", null, unicode})).containsExactly("a", null, unicode);
	}

	@Test
	void allNullCollectionsOfAnySizeUpToTheLimitRoundTrip() {
		// Kryo writes a collection of nulls as its count and one null class: the elements take no bytes.
		List<Object> nulls = new ArrayList<>(Collections.nCopies(100_000, null));
		byte[] encoded = encode(nulls);
		assertThat(encoded.length).isLessThan(40);

		assertThat(codec.decode(encoded, 0, encoded.length)).isEqualTo(nulls);
	}

	@Test
	void allNullCollectionDeclaringMoreThanTheMessageSizeLimitIsRefused() {
		byte[] valid = encode(new ArrayList<>(Collections.nCopies(3, null)));
		// count+1 with the same-type flag, then the null class.
		byte[] crafted = replaceEnd(valid, 2, (out) -> {
			out.writeVarIntFlag(true, MAX_MESSAGE_SIZE + 2, true);
			out.writeByte(0);
		}, 0);

		long allocated = allocatedBy(() -> assertThatThrownBy(() -> codec.decode(crafted, 0, crafted.length))
				.isInstanceOf(KryoException.class)
				.hasMessageContaining("null elements, more than the " + MAX_MESSAGE_SIZE + " allowed"));
		assertThat(allocated).isLessThan(ALLOCATION_LIMIT);
	}

	@Test
	void messageLongerThanTheLimitIsRefusedBeforeDecoding() {
		KryoCodec small = new KryoCodec(new ClassAllowList(List.of()), getClass().getClassLoader(), 16);
		byte[] bytes = new byte[17];

		assertThatIllegalArgumentException().isThrownBy(() -> small.decode(bytes, 0, bytes.length))
				.withMessage("message length=17 exceeds maxMessageSize=16; raise vmworkers.channel.max-message-size "
						+ "on both sides");
	}

	@Test
	void nestingDeeperThanTheMaxDepthIsRefusedWhenDecoding() {
		KryoCodec deep = new KryoCodec(new ClassAllowList(List.of("io.vmworkers.codec")),
				getClass().getClassLoader(), MAX_MESSAGE_SIZE, 4 * KryoCodec.MAX_DEPTH);
		byte[] tooDeep = encodeOnBigStack(deep, nest(KryoCodec.MAX_DEPTH + 10));

		assertThatThrownBy(() -> codec.decode(tooDeep, 0, tooDeep.length))
				.isInstanceOf(KryoException.class)
				.hasMessageContaining("Max depth exceeded: " + KryoCodec.MAX_DEPTH);
	}

	@Test
	void nestingUpToTheMaxDepthDecodesWithinThreeQuartersOfTheDefaultStack() throws Exception {
		KryoCodec deep = new KryoCodec(new ClassAllowList(List.of("io.vmworkers.codec")),
				getClass().getClassLoader(), MAX_MESSAGE_SIZE, 4 * KryoCodec.MAX_DEPTH);
		// Field-serialized objects have Kryo's deepest frames per level; the other shapes mix in the rest.
		for (String shape : List.of("bag", "mix")) {
			byte[] deepest = encodeOnBigStack(deep, nestShape(shape, KryoCodec.MAX_DEPTH - 8));
			AtomicReference<Throwable> failure = new AtomicReference<>();
			AtomicReference<Object> decoded = new AtomicReference<>();
			Thread thread = new Thread(null, () -> {
				try {
					decoded.set(codec.decode(deepest, 0, deepest.length));
				}
				catch (Throwable ex) {
					failure.set(ex);
				}
			}, "decode-on-768k", 768 * 1024);
			thread.start();
			thread.join();

			assertThat(failure.get()).as("decoding %s nested %d deep", shape, KryoCodec.MAX_DEPTH - 8).isNull();
			assertThat(decoded.get()).isNotNull();
		}
	}

	@Test
	void collectionContainingItselfInAHashSetIsRefusedWithoutStackOverflow() {
		// Legal to build and to send (the set hashed the list while it was empty), but decoding rebuilds the list
		// first and then hashes it into the set: its hash code would recurse forever.
		Set<Object> set = new HashSet<>();
		List<Object> list = new ArrayList<>();
		set.add(list);
		list.add(list);
		byte[] encoded = encode(set);

		assertThatThrownBy(() -> codec.decode(encoded, 0, encoded.length))
				.isInstanceOf(KryoException.class)
				.hasMessageContaining("hashing a decoded element would nest deeper than the max depth");
	}

	@Test
	void exponentiallySharedGraphInAHashSetIsRefusedFast() {
		// 60 levels of lists each holding the next twice: a few hundred bytes, 2^60 steps to hash.
		Set<Object> set = new HashSet<>();
		List<Object> top = new ArrayList<>();
		set.add(top);
		Object level = "leaf";
		for (int i = 0; i < 60; i++) {
			level = new ArrayList<>(List.of(level, level));
		}
		top.add(level);
		byte[] encoded = encode(set);
		assertThat(encoded.length).isLessThan(1024);

		long start = System.nanoTime();
		assertThatThrownBy(() -> codec.decode(encoded, 0, encoded.length))
				.isInstanceOf(KryoException.class)
				.hasMessageContaining("costs more than its budget");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
	}

	@Test
	void exponentiallySharedRecordsAsMapKeysAreRefused() {
		Map<Object, Object> map = new HashMap<>();
		Bag key = new Bag();
		map.put(key, "value");
		Object level = 1;
		for (int i = 0; i < 60; i++) {
			level = new Pair(level, level);
		}
		key.content = Optional.of(level);
		byte[] encoded = encode(map);

		assertThatThrownBy(() -> codec.decode(encoded, 0, encoded.length))
				.isInstanceOf(KryoException.class)
				.hasMessageContaining("costs more than its budget");
	}

	@Test
	void chainLongerThanTheMaxDepthHashedIntoASetIsRefused() {
		// Each list holds the previous one: Kryo reads them side by side at depth 2, but hashing the last recurses
		// through all of them.
		List<Object> root = new ArrayList<>();
		Object previous = "start";
		for (int i = 0; i < 20_000; i++) {
			List<Object> link = new ArrayList<>();
			link.add(previous);
			root.add(link);
			previous = link;
		}
		Set<Object> set = new HashSet<>();
		Bag holder = new Bag();
		set.add(holder);
		holder.content = previous;
		root.add(set);
		byte[] encoded = encode(root);

		assertThatThrownBy(() -> codec.decode(encoded, 0, encoded.length))
				.isInstanceOf(KryoException.class)
				.hasMessageContaining("deeper than the max depth of " + KryoCodec.MAX_DEPTH);
	}

	@Test
	void manyReferencesToOneLongStringInATreeSetAreRefused() {
		// A TreeSet cannot hold one string twice, but its encoding can: comparing a string with itself still reads all
		// of it, so 100,000 references (a few hundred kilobytes) to one string of 100,000 chars would compare 10^10.
		List<Object> references = new ArrayList<>(Collections.nCopies(100_000, "x".repeat(100_000)));
		byte[] hostile = reclassed(encodeByName(references), "java.util.ArrayList", "java.util.TreeSet",
				references.size(), new byte[] {0});
		assertThat(hostile.length).isLessThan(500_000);

		long start = System.nanoTime();
		assertThatThrownBy(() -> codec.decode(hostile, 0, hostile.length))
				.isInstanceOf(KryoException.class)
				.hasMessageContaining("costs more than its budget");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
	}

	@Test
	void manyReferencesToOneHugeNumberInAHashSetAreRefused() {
		// BigInteger does not cache its hash code: each reference would rehash all 100 KB of it.
		List<Object> references = new ArrayList<>(Collections.nCopies(100_000, BigInteger.ONE.shiftLeft(800_000)));
		byte[] hostile = reclassed(encodeByName(references), "java.util.ArrayList", "java.util.HashSet",
				references.size(), new byte[0]);

		long start = System.nanoTime();
		assertThatThrownBy(() -> codec.decode(hostile, 0, hostile.length))
				.isInstanceOf(KryoException.class)
				.hasMessageContaining("costs more than its budget");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
	}

	@Test
	void reclassingKeepsAValidEncoding() {
		// The helper behind the two tests above, checked on harmless input.
		List<Object> references = new ArrayList<>(List.of("b", "a", "b"));
		byte[] asSet = reclassed(encodeByName(references), "java.util.ArrayList", "java.util.TreeSet", 3,
				new byte[] {0});

		assertThat(codec.decode(asSet, 0, asSet.length)).isEqualTo(new java.util.TreeSet<>(List.of("a", "b")));
	}

	@Test
	void sortedCollectionsWithComparatorsStillRoundTrip() {
		java.util.TreeSet<String> set = new java.util.TreeSet<>(new KryoCodecTest.ByLength());
		set.addAll(List.of("ccc", "a", "bb"));
		TreeMap<String, Integer> map = new TreeMap<>(new KryoCodecTest.ByLength());
		map.put("zz", 2);
		map.put("y", 1);
		java.util.concurrent.ConcurrentSkipListMap<String, Integer> skipList =
				new java.util.concurrent.ConcurrentSkipListMap<>(new KryoCodecTest.ByLength());
		skipList.putAll(map);

		@SuppressWarnings("unchecked")
		java.util.TreeSet<String> decodedSet = (java.util.TreeSet<String>) roundTrip(set);
		@SuppressWarnings("unchecked")
		TreeMap<String, Integer> decodedMap = (TreeMap<String, Integer>) roundTrip(map);
		@SuppressWarnings("unchecked")
		java.util.concurrent.ConcurrentSkipListMap<String, Integer> decodedSkipList =
				(java.util.concurrent.ConcurrentSkipListMap<String, Integer>) roundTrip(skipList);

		assertThat(decodedSet).containsExactly("a", "bb", "ccc");
		assertThat(decodedSet.comparator()).isEqualTo(new KryoCodecTest.ByLength());
		assertThat(decodedMap).containsExactly(Map.entry("y", 1), Map.entry("zz", 2));
		assertThat(decodedMap.comparator()).isEqualTo(new KryoCodecTest.ByLength());
		assertThat(decodedSkipList).isEqualTo(skipList);
		assertThat(decodedSkipList.comparator()).isEqualTo(new KryoCodecTest.ByLength());
	}

	@Test
	void sharedObjectsInHashedCollectionsStillRoundTrip() {
		Pair shared = new Pair("a", List.of(1, 2, 3));
		Set<Object> set = new HashSet<>(List.of(List.of(shared, 1), List.of(shared, 2)));
		Map<Object, Object> map = new HashMap<>();
		map.put(new Pair(shared, shared), shared);
		map.put(Set.of(shared), List.of(shared));
		Map<Object, Object> sorted = new TreeMap<>(Map.of("k", shared));

		assertThat(roundTrip(set)).isEqualTo(set);
		assertThat(roundTrip(map)).isEqualTo(map);
		assertThat(roundTrip(sorted)).isEqualTo(sorted);
		assertThat(roundTrip(Set.of(shared, List.of(shared)))).isEqualTo(Set.of(shared, List.of(shared)));
		assertThat(roundTrip(Map.of(shared, shared))).isEqualTo(Map.of(shared, shared));
	}

	@Test
	void unknownBackReferenceIsAKryoException() {
		// A list whose one element is a reference to object number 40, which the message never defined.
		byte[] valid = encode(new ArrayList<>(List.of(new ArrayList<>())));
		byte[] crafted = replaceEnd(valid, 2, (out) -> out.writeVarInt(42, true), 0);

		Throwable failure = catchThrowable(() -> codec.decode(crafted, 0, crafted.length));

		assertThat(failure).isInstanceOf(KryoException.class);
	}

	@Test
	void arrayOfARefusedClassIsRefusedWithoutInitializingIt() throws Exception {
		byte[] malicious;
		try (URLClassLoader sender = OutsideClasses.newLoader(outsideClasses)) {
			KryoCodec permissive = new KryoCodec(new ClassAllowList(List.of("com.untrusted")), sender,
					MAX_MESSAGE_SIZE);
			Object canaries = Array.newInstance(sender.loadClass(OutsideClasses.CANARY), 2);
			AtomicReference<byte[]> bytes = new AtomicReference<>();
			permissive.encode(canaries, (buffer, length) -> bytes.set(Arrays.copyOf(buffer, length)));
			malicious = bytes.get();
		}
		CanaryFlag.INITIALIZED.set(false);

		try (URLClassLoader receiver = OutsideClasses.newLoader(outsideClasses)) {
			KryoCodec strict = new KryoCodec(new ClassAllowList(List.of()), receiver, MAX_MESSAGE_SIZE);

			assertThatThrownBy(() -> strict.decode(malicious, 0, malicious.length))
					.isInstanceOf(ClassNotAllowedException.class)
					.hasMessageStartingWith("class com.untrusted.Canary is not allowed");
			assertThat(CanaryFlag.INITIALIZED).as("canary initialized by the refused decode").isFalse();
		}
	}

	@Test
	void everySerializerReachableFromTheAllowListIsBounded() {
		// Kryo's serializers that size an allocation by an unchecked count or insert into a set or map unchecked; none
		// may remain in use.
		Set<Class<?>> unbounded = Set.of(CollectionSerializer.class, MapSerializer.class, ObjectArraySerializer.class,
				StringArraySerializer.class, BooleanArraySerializer.class, ArraysAsListSerializer.class,
				PriorityQueueSerializer.class, JdkImmutableListSerializer.class, JdkImmutableSetSerializer.class,
				JdkImmutableMapSerializer.class, TreeSetSerializer.class, TreeMapSerializer.class,
				ConcurrentSkipListMapSerializer.class);
		List<Class<?>> types = new ArrayList<>(ClassAllowList.admittedJdkClasses());
		types.addAll(List.of(Pair.class, Bag.class, TimeUnit.class, int[].class, boolean[].class, Object[][].class));
		for (Class<?> type : List.copyOf(types)) {
			types.add(type.arrayType());
		}

		for (Class<?> type : types) {
			Serializer<?> serializer = codec.serializerFor(type);
			assertThat(unbounded).as("serializer %s of %s", serializer.getClass().getName(), type.getName())
					.doesNotContain(serializer.getClass());
		}
	}

	private interface CountWriter {

		void write(Output output, int count);
	}

	private static Arguments count(String label, Object empty, int replaced, CountWriter writer) {
		return Arguments.of(label, empty, replaced, writer);
	}

	private static CountWriter varIntPlusOne() {
		return (out, n) -> out.writeVarInt(n + 1, true);
	}

	/** Returns {@code valid} without its last {@code replaced} bytes, then what {@code tail} writes and padding. */
	private static byte[] replaceEnd(byte[] valid, int replaced, Consumer<Output> tail, int padding) {
		Output out = new Output(64, -1);
		out.writeBytes(valid, 0, valid.length - replaced);
		tail.accept(out);
		for (int i = 0; i < padding; i++) {
			out.writeByte(1);
		}
		return out.toBytes();
	}

	/**
	 * Rewrites the encoding of a list (of {@code count} elements, written by name by {@link #encodeByName}) as one of
	 * another collection class that Kryo writes the same way, with {@code header} (that class's own header, such as a
	 * TreeSet's null comparator) inserted after the element count.
	 */
	private static byte[] reclassed(byte[] encoded, String from, String to, int count, byte[] header) {
		byte[] name = asciiName(from);
		int at = indexOf(encoded, name);
		assertThat(at).as("class name %s in the encoding", from).isNotNegative();
		Output countBytes = new Output(8);
		countBytes.writeVarIntFlag(true, count + 1, true);
		int afterName = at + name.length;
		// The reference marker of a new object, then the count.
		int afterCount = afterName + 1 + countBytes.position();
		Output out = new Output(encoded.length + 16, -1);
		out.writeBytes(encoded, 0, at);
		out.writeBytes(asciiName(to));
		out.writeBytes(encoded, afterName, afterCount - afterName);
		out.writeBytes(header);
		out.writeBytes(encoded, afterCount, encoded.length - afterCount);
		return out.toBytes();
	}

	/** Kryo's ASCII string form: the chars, the last with its high bit set. */
	private static byte[] asciiName(String name) {
		byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		bytes[bytes.length - 1] |= (byte) 0x80;
		return bytes;
	}

	private static int indexOf(byte[] haystack, byte[] needle) {
		for (int i = 0; i + needle.length <= haystack.length; i++) {
			if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
				return i;
			}
		}
		return -1;
	}

	private static long allocatedBy(Runnable action) {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
				.getThreadMXBean();
		long before = threads.getCurrentThreadAllocatedBytes();
		action.run();
		return threads.getCurrentThreadAllocatedBytes() - before;
	}

	private static Object nest(int depth) {
		return nestShape("list", depth);
	}

	/** Builds a graph {@code depth} Kryo levels deep (each object one level) of the given shape. */
	private static Object nestShape(String shape, int depth) {
		Object current = "leaf";
		for (int i = 1; i < depth; i++) {
			String kind = shape.equals("mix") ? List.of("bag", "pair", "optional", "array", "map", "list").get(i % 6)
					: shape;
			current = switch (kind) {
				case "bag" -> {
					Bag bag = new Bag();
					bag.content = current;
					yield bag;
				}
				case "pair" -> new Pair(current, null);
				case "optional" -> Optional.of(current);
				case "array" -> new Object[] {current};
				case "map" -> new HashMap<>(Map.of("k", current));
				default -> new ArrayList<>(List.of(current));
			};
		}
		return current;
	}

	private static byte[] encodeOnBigStack(KryoCodec codec, Object value) {
		AtomicReference<byte[]> bytes = new AtomicReference<>();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		Thread thread = new Thread(null, () -> {
			try {
				codec.encode(value, (buffer, length) -> bytes.set(Arrays.copyOf(buffer, length)));
			}
			catch (Throwable ex) {
				failure.set(ex);
			}
		}, "encode-deep", 64L << 20);
		thread.start();
		try {
			thread.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		assertThat(failure.get()).isNull();
		return bytes.get();
	}

	private byte[] encode(Object value) {
		AtomicReference<byte[]> copy = new AtomicReference<>();
		codec.encode(value, (buffer, length) -> copy.set(Arrays.copyOf(buffer, length)));
		return copy.get();
	}

	/** Encodes with the codec that registers no classes, so that the encoding names them. */
	private byte[] encodeByName(Object value) {
		AtomicReference<byte[]> copy = new AtomicReference<>();
		byName.encode(value, (buffer, length) -> copy.set(Arrays.copyOf(buffer, length)));
		return copy.get();
	}

	private Object roundTrip(Object value) {
		byte[] bytes = encode(value);
		return codec.decode(bytes, 0, bytes.length);
	}
}
