package io.vmworkers.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.KryoException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Currency;
import java.util.Date;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

final class KryoCodecTest {

	private static final int MAX_MESSAGE_SIZE = 1 << 20;

	private static final String THREAD_REFUSAL = "class java.lang.Thread is not allowed on the channel; add its "
			+ "package to vmworkers.serialization.allowed-packages";

	@TempDir
	static Path outsideClasses;

	private static URLClassLoader loader;

	private final KryoCodec codec = new KryoCodec(new ClassAllowList(List.of("io.vmworkers.codec")),
			KryoCodecTest.class.getClassLoader(), MAX_MESSAGE_SIZE);

	record Point(int x, int y) {
	}

	record Route(String id, List<Point> stops, Map<String, Integer> counts, Optional<Instant> due, Color color) {
	}

	record Carrier(Object payload) {
	}

	record ByLength() implements Comparator<String> {

		@Override
		public int compare(String left, String right) {
			return Integer.compare(left.length(), right.length());
		}
	}

	enum Color {
		RED,
		GREEN {
			@Override
			String label() {
				return "go";
			}
		};

		String label() {
			return name();
		}
	}

	/** A mutable application class without a no-arg constructor, serialized field by field. */
	static final class Inventory {

		private final String warehouse;

		private final Map<String, Integer> stock = new TreeMap<>();

		private transient int lookups;

		Inventory(String warehouse) {
			this.warehouse = warehouse;
		}

		void put(String item, int count) {
			stock.put(item, count);
			lookups++;
		}
	}

	/** A node of a possibly cyclic graph. */
	static final class Node {

		String name;

		Node next;
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

	static Stream<Arguments> equalValues() {
		Map<String, List<Set<Integer>>> nested = new LinkedHashMap<>();
		nested.put("a", List.of(Set.of(1, 2), new TreeSet<>(Set.of(3))));
		nested.put("b", new ArrayList<>(List.of(new LinkedHashSet<>(List.of(5, 4)))));
		EnumMap<TimeUnit, String> units = new EnumMap<>(TimeUnit.class);
		units.put(TimeUnit.SECONDS, "s");
		units.put(TimeUnit.DAYS, "d");
		BitSet bits = new BitSet();
		bits.set(3);
		bits.set(130);
		return Stream.of(
				Arguments.of("Integer", 42),
				Arguments.of("negative Long", -7L),
				Arguments.of("Double", 2.5),
				Arguments.of("Boolean", true),
				Arguments.of("Character", 'x'),
				Arguments.of("String", "hello, channel"),
				Arguments.of("null", null),
				Arguments.of("BigDecimal", new BigDecimal("12345.6700")),
				Arguments.of("BigInteger", new BigInteger("123456789012345678901234567890")),
				Arguments.of("Instant", Instant.parse("2024-05-06T07:08:09.123456789Z")),
				Arguments.of("Duration", Duration.ofMillis(1500)),
				Arguments.of("LocalDate", LocalDate.of(2024, 2, 29)),
				Arguments.of("ZonedDateTime with region", ZonedDateTime.of(2024, 3, 31, 2, 30, 0, 0,
						ZoneId.of("Europe/Paris"))),
				Arguments.of("ZoneId region", ZoneId.of("America/New_York")),
				Arguments.of("UUID", UUID.fromString("123e4567-e89b-12d3-a456-426614174000")),
				Arguments.of("Optional", Optional.of("present")),
				Arguments.of("empty Optional", Optional.empty()),
				Arguments.of("OptionalInt", OptionalInt.of(3)),
				Arguments.of("Date", new Date(1_700_000_000_000L)),
				Arguments.of("Locale", Locale.CANADA_FRENCH),
				Arguments.of("Currency", Currency.getInstance("EUR")),
				Arguments.of("URI", URI.create("https://example.com/a?b=c#d")),
				Arguments.of("BitSet", bits),
				Arguments.of("JDK enum TimeUnit", TimeUnit.MILLISECONDS),
				Arguments.of("JDK enum ChronoUnit", ChronoUnit.DAYS),
				Arguments.of("JDK enum DayOfWeek", DayOfWeek.FRIDAY),
				Arguments.of("application enum", Color.RED),
				Arguments.of("enum constant with a body", Color.GREEN),
				Arguments.of("record", new Point(3, -4)),
				Arguments.of("record with collections", new Route("r1", List.of(new Point(0, 0), new Point(1, 2)),
						Map.of("pallets", 4), Optional.of(Instant.EPOCH), Color.GREEN)),
				Arguments.of("List.of", List.of(1, 2, 3)),
				Arguments.of("List.of one", List.of("solo")),
				Arguments.of("empty List.of", List.of()),
				Arguments.of("List.copyOf", List.copyOf(new ArrayList<>(List.of("a", "b")))),
				Arguments.of("Stream.toList with null", Stream.of("a", null, "c").toList()),
				Arguments.of("Set.of", Set.of("x", "y", "z")),
				Arguments.of("Set.of one", Set.of("x")),
				Arguments.of("Map.of", Map.of("k1", 1, "k2", 2, "k3", 3)),
				Arguments.of("Map.of one", Map.of("k", List.of(1))),
				Arguments.of("Arrays.asList", Arrays.asList("p", null, "q")),
				Arguments.of("unmodifiableList", Collections.unmodifiableList(new ArrayList<>(List.of(1, 2)))),
				Arguments.of("unmodifiableList over LinkedList",
						Collections.unmodifiableList(new LinkedList<>(List.of(1, 2)))),
				Arguments.of("unmodifiableSet", Collections.unmodifiableSet(new LinkedHashSet<>(List.of(9, 8)))),
				Arguments.of("unmodifiableMap", Collections.unmodifiableMap(new HashMap<>(Map.of("a", 1)))),
				Arguments.of("emptyList", Collections.emptyList()),
				Arguments.of("emptyMap", Collections.emptyMap()),
				Arguments.of("singletonList", Collections.singletonList("one")),
				Arguments.of("singleton", Collections.singleton(1)),
				Arguments.of("singletonMap", Collections.singletonMap("k", "v")),
				Arguments.of("ArrayList", new ArrayList<>(List.of("a", "b"))),
				Arguments.of("LinkedList", new LinkedList<>(List.of(1, 2))),
				Arguments.of("HashMap", new HashMap<>(Map.of("a", 1, "b", 2))),
				Arguments.of("TreeMap", new TreeMap<>(Map.of("b", 2, "a", 1))),
				Arguments.of("ConcurrentHashMap", new ConcurrentHashMap<>(Map.of("a", 1))),
				Arguments.of("ConcurrentSkipListMap", new ConcurrentSkipListMap<>(Map.of(2, "b", 1, "a"))),
				Arguments.of("CopyOnWriteArrayList", new CopyOnWriteArrayList<>(List.of(1, 2))),
				Arguments.of("EnumMap", units),
				Arguments.of("empty EnumMap", new EnumMap<>(ChronoUnit.class)),
				Arguments.of("EnumSet", EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.SUNDAY)),
				Arguments.of("empty EnumSet", EnumSet.noneOf(Color.class)),
				Arguments.of("nested collections", nested),
				Arguments.of("int[]", new int[] {1, -2, 3}),
				Arguments.of("String[]", new String[] {"a", null, "c"}),
				Arguments.of("record[]", new Point[] {new Point(1, 1), null}),
				Arguments.of("Object[]", new Object[] {1, "two", new Point(3, 3)}),
				Arguments.of("long[][]", new long[][] {{1L}, {2L, 3L}}));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("equalValues")
	void valueRoundTripsToAnEqualValueOfTheSameClass(String label, Object value) {
		Object decoded = roundTrip(codec, value);

		assertThat(decoded).isEqualTo(value);
		if (value != null) {
			assertThat(decoded).hasSameClassAs(value);
		}
	}

	@Test
	void immutableSubListRoundTripsAsImmutableList() {
		List<?> decoded = (List<?>) roundTrip(codec, List.of(1, 2, 3).subList(1, 3));

		assertThat(decoded).isEqualTo(List.of(2, 3));
		assertThatThrownBy(decoded::clear).isInstanceOf(UnsupportedOperationException.class);
	}

	@Test
	void unmodifiableWrappersStayUnmodifiable() {
		List<?> list = (List<?>) roundTrip(codec, Collections.unmodifiableList(new ArrayList<>(List.of(1))));
		Map<?, ?> map = (Map<?, ?>) roundTrip(codec, Collections.unmodifiableMap(new HashMap<>(Map.of(1, 2))));

		assertThatThrownBy(list::clear).isInstanceOf(UnsupportedOperationException.class);
		assertThatThrownBy(map::clear).isInstanceOf(UnsupportedOperationException.class);
	}

	@Test
	void unmodifiableSortedCollectionsKeepTheirComparatorAndOrder() {
		SortedSet<String> set = new TreeSet<>(new ByLength());
		set.addAll(List.of("ccc", "a", "bb"));
		SortedMap<Integer, String> map = new TreeMap<>(Map.of(2, "two", 1, "one"));

		@SuppressWarnings("unchecked")
		SortedSet<String> decodedSet = (SortedSet<String>) roundTrip(codec,
				Collections.unmodifiableSortedSet(set));
		@SuppressWarnings("unchecked")
		SortedMap<Integer, String> decodedMap = (SortedMap<Integer, String>) roundTrip(codec,
				Collections.unmodifiableSortedMap(map));

		assertThat(decodedSet).containsExactly("a", "bb", "ccc")
				.hasSameClassAs(Collections.unmodifiableSortedSet(set));
		assertThat(decodedSet.comparator()).isEqualTo(new ByLength());
		assertThat(decodedMap).containsExactly(Map.entry(1, "one"), Map.entry(2, "two"));
		assertThatThrownBy(() -> decodedMap.put(3, "three")).isInstanceOf(UnsupportedOperationException.class);
	}

	@Test
	void comparatorOutsideTheAllowListIsRefused() {
		SortedSet<String> reversed = new TreeSet<>(Comparator.reverseOrder());
		reversed.add("a");

		assertThatThrownBy(() -> codec.encode(Collections.unmodifiableSortedSet(reversed), (buffer, length) -> { }))
				.isInstanceOf(ClassNotAllowedException.class);
	}

	@Test
	@SuppressWarnings("unchecked")
	void collectionsWithoutValueEqualityRoundTripTheirElements() {
		Collection<Object> collection = (Collection<Object>) roundTrip(codec,
				Collections.unmodifiableCollection(new ArrayList<>(List.of(1, 2))));
		ArrayDeque<Object> deque = (ArrayDeque<Object>) roundTrip(codec, new ArrayDeque<>(List.of("x", "y")));

		assertThat(collection).containsExactly(1, 2);
		assertThatThrownBy(collection::clear).isInstanceOf(UnsupportedOperationException.class);
		assertThat(deque).containsExactly("x", "y");
	}

	@Test
	void applicationClassRoundTripsFieldByField() {
		Inventory inventory = new Inventory("north");
		inventory.put("bolts", 12);
		inventory.put("nuts", 30);

		Inventory decoded = (Inventory) roundTrip(codec, inventory);

		assertThat(decoded.warehouse).isEqualTo("north");
		assertThat(decoded.stock).containsExactly(Map.entry("bolts", 12), Map.entry("nuts", 30));
		assertThat(decoded.lookups).isZero();
	}

	@Test
	void sharedAndCyclicReferencesSurvive() {
		Point shared = new Point(5, 5);
		Node first = new Node();
		Node second = new Node();
		first.name = "first";
		first.next = second;
		second.name = "second";
		second.next = first;

		List<?> decodedList = (List<?>) roundTrip(codec, new ArrayList<>(List.of(shared, shared)));
		Node decodedFirst = (Node) roundTrip(codec, first);

		assertThat(decodedList.get(0)).isSameAs(decodedList.get(1));
		assertThat(decodedFirst.next.name).isEqualTo("second");
		assertThat(decodedFirst.next.next).isSameAs(decodedFirst);
	}

	@Test
	void sharedReferencesSurviveInGraphsOfManyObjects() {
		// The codec finds the first objects of a graph without hashing them and the later ones in a map; both kinds
		// are shared here, by objects written before and after them.
		List<Object> points = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			points.add(new Point(i, i));
		}
		List<Object> graph = new ArrayList<>(points);
		graph.addAll(points);
		Node node = new Node();
		node.next = node;
		graph.add(node);
		graph.add(node);

		List<?> decoded = (List<?>) roundTrip(codec, graph);

		assertThat(decoded.subList(0, 80)).isEqualTo(graph.subList(0, 80));
		for (int i = 0; i < 40; i++) {
			assertThat(decoded.get(i + 40)).isSameAs(decoded.get(i));
		}
		assertThat(decoded.get(80)).isSameAs(decoded.get(81));
		assertThat(((Node) decoded.get(80)).next).isSameAs(decoded.get(80));
	}

	@Test
	void recordFromAllowedOutsidePackageRoundTrips() throws Exception {
		KryoCodec acme = new KryoCodec(new ClassAllowList(List.of("com.acme")), loader, MAX_MESSAGE_SIZE);
		Object pose = pose("arm", 1.5, -2);

		assertThat(roundTrip(acme, List.of(pose))).isEqualTo(List.of(pose));
	}

	@Test
	void refusedClassIsRefusedAtTheSenderWithTheFixInTheMessage() {
		assertThatThrownBy(() -> codec.encode(new Thread(), (buffer, length) -> { }))
				.isInstanceOf(ClassNotAllowedException.class)
				.hasMessage(THREAD_REFUSAL);
	}

	@Test
	void refusedClassDeepInTheGraphIsRefusedAtTheSender() throws Exception {
		Object pose = pose("arm", 0, 0);
		KryoCodec withoutAcme = new KryoCodec(new ClassAllowList(List.of()), loader, MAX_MESSAGE_SIZE);

		assertThatThrownBy(() -> withoutAcme.encode(List.of(1, pose), (buffer, length) -> { }))
				.isInstanceOf(ClassNotAllowedException.class)
				.hasMessage("class com.acme.Pose is not allowed on the channel; add its package to "
						+ "vmworkers.serialization.allowed-packages");
		assertThatThrownBy(() -> codec.encode(new Carrier(Map.of("k", new AtomicInteger())), (buffer, length) -> { }))
				.isInstanceOf(ClassNotAllowedException.class)
				.hasMessageStartingWith("class java.util.concurrent.atomic.AtomicInteger is not allowed");
		assertThatThrownBy(() -> codec.encode(new Object[] {new Thread()}, (buffer, length) -> { }))
				.isInstanceOf(ClassNotAllowedException.class)
				.hasMessage(THREAD_REFUSAL);
	}

	@Test
	void refusedClassLeavesCodecUsable() {
		KryoCodec single = new KryoCodec(new ClassAllowList(List.of()), KryoCodecTest.class.getClassLoader(), 4096);
		Route route = new Route("r", List.of(new Point(1, 2)), Map.of("a", 1), Optional.empty(), Color.RED);

		for (int attempt = 0; attempt < 3; attempt++) {
			assertThatThrownBy(() -> single.encode(new Carrier(List.of(new Point(0, 0), new Thread())),
					(buffer, length) -> { }))
					.isInstanceOf(ClassNotAllowedException.class);

			assertThat(roundTrip(single, route)).isEqualTo(route);
			assertThat(roundTrip(single, List.of(new Point(7, 7)))).isEqualTo(List.of(new Point(7, 7)));
		}
	}

	@Test
	void refusedClassInTheInputIsRefusedWithoutInitializingIt() throws Exception {
		byte[] malicious;
		try (URLClassLoader sender = OutsideClasses.newLoader(outsideClasses)) {
			KryoCodec permissive = new KryoCodec(new ClassAllowList(List.of("com.untrusted")), sender,
					MAX_MESSAGE_SIZE);
			malicious = encode(permissive, List.of(sender.loadClass(OutsideClasses.CANARY)
					.getConstructor().newInstance()));
		}
		CanaryFlag.INITIALIZED.set(false);

		try (URLClassLoader receiver = OutsideClasses.newLoader(outsideClasses)) {
			KryoCodec strict = new KryoCodec(new ClassAllowList(List.of("com.acme")), receiver, MAX_MESSAGE_SIZE);

			assertThatThrownBy(() -> strict.decode(malicious, 0, malicious.length))
					.isInstanceOf(ClassNotAllowedException.class)
					.hasMessage("class com.untrusted.Canary is not allowed on the channel; add its package to "
							+ "vmworkers.serialization.allowed-packages");
			assertThat(CanaryFlag.INITIALIZED).as("canary initialized by the refused decode").isFalse();

			// The same bytes with the package allowed do initialize the canary, so the flag can detect it.
			KryoCodec permissive = new KryoCodec(new ClassAllowList(List.of("com.untrusted")), receiver,
					MAX_MESSAGE_SIZE);
			assertThat((List<?>) permissive.decode(malicious, 0, malicious.length)).hasSize(1);
			assertThat(CanaryFlag.INITIALIZED).isTrue();
			assertThat(roundTrip(strict, 5)).isEqualTo(5);
		}
	}

	@Test
	void registeredClassesAreWrittenByIdAndStillReadByName() {
		ClassAllowList allowList = new ClassAllowList(List.of());
		KryoCodec withPoint = new KryoCodec(allowList, getClass().getClassLoader(), MAX_MESSAGE_SIZE,
				List.of(Point.class));
		KryoCodec byName = new KryoCodec(allowList, getClass().getClassLoader(), MAX_MESSAGE_SIZE,
				KryoCodec.MAX_DEPTH, List.of());
		Object value = new ArrayList<>(List.of(new Point(1, 2), new HashMap<>(Map.of("k", List.of(3L)))));

		byte[] registered = encode(withPoint, value);
		byte[] named = encode(byName, value);

		assertThat(new String(registered, StandardCharsets.ISO_8859_1)).doesNotContain("java.")
				.doesNotContain("Point");
		assertThat(registered.length).isLessThan(named.length - 40);
		assertThat(withPoint.decode(registered, 0, registered.length)).isEqualTo(value);
		assertThat(withPoint.decode(named, 0, named.length)).isEqualTo(value);
	}

	@Test
	void registeredClassOutsideTheAllowListIsRefusedWhenTheCodecIsCreated() {
		assertThatThrownBy(() -> new KryoCodec(new ClassAllowList(List.of()), getClass().getClassLoader(),
				MAX_MESSAGE_SIZE, List.of(Thread.class)))
				.isInstanceOf(ClassNotAllowedException.class)
				.hasMessage(THREAD_REFUSAL);
	}

	@Test
	void classRegisteredTwiceIsRejected() {
		ClassAllowList allowList = new ClassAllowList(List.of());

		assertThatIllegalArgumentException()
				.isThrownBy(() -> new KryoCodec(allowList, getClass().getClassLoader(), MAX_MESSAGE_SIZE,
						List.of(Point.class, Point.class)))
				.withMessageStartingWith("cannot register " + Point.class.getName() + " as id "
						+ (KryoCodec.FIRST_REGISTRATION_ID + KryoCodec.JDK_REGISTRATIONS.size() + 1)
						+ ": the class is registered already");
		assertThatIllegalArgumentException()
				.isThrownBy(() -> new KryoCodec(allowList, getClass().getClassLoader(), MAX_MESSAGE_SIZE,
						List.of(Integer.class)))
				.withMessageContaining("the class is registered already as id 0");
		assertThatIllegalArgumentException()
				.isThrownBy(() -> new KryoCodec(allowList, getClass().getClassLoader(), MAX_MESSAGE_SIZE,
						List.of(ArrayList.class)))
				.withMessageContaining("the class is registered already");
	}

	@Test
	void messageLargerThanMaxMessageSizeFailsAtTheSender() {
		KryoCodec small = new KryoCodec(new ClassAllowList(List.of()), KryoCodecTest.class.getClassLoader(), 64);

		assertThatIllegalArgumentException()
				.isThrownBy(() -> small.encode(new Carrier("x".repeat(100)), (buffer, length) -> { }))
				.withMessage("message exceeds maxMessageSize=64, length>=65; raise vmworkers.channel.max-message-size");
		assertThat(roundTrip(small, "fits")).isEqualTo("fits");
	}

	@Test
	void largeMessagesRoundTripAndLaterSmallOnesStillWork() {
		byte[] large = new byte[300_000];
		Arrays.fill(large, (byte) 7);

		assertThat((byte[]) roundTrip(codec, large)).isEqualTo(large);
		assertThat(roundTrip(codec, 1)).isEqualTo(1);
	}

	@Test
	void nonPositiveMaxMessageSizeIsRejected() {
		assertThatIllegalArgumentException()
				.isThrownBy(() -> new KryoCodec(new ClassAllowList(List.of()), getClass().getClassLoader(), 0))
				.withMessage("maxMessageSize=0 must be positive; set vmworkers.channel.max-message-size to a byte "
						+ "count above 0");
	}

	@Test
	void messageCanBeDecodedFromAnOffset() {
		byte[] encoded = encode(codec, new Point(8, 9));
		byte[] framed = new byte[encoded.length + 7];
		System.arraycopy(encoded, 0, framed, 5, encoded.length);

		assertThat(codec.decode(framed, 5, encoded.length)).isEqualTo(new Point(8, 9));
	}

	@Test
	void bytesAfterTheMessageAreRejected() {
		byte[] encoded = encode(codec, "abc");
		byte[] padded = Arrays.copyOf(encoded, encoded.length + 1);

		assertThatIllegalArgumentException()
				.isThrownBy(() -> codec.decode(padded, 0, padded.length))
				.withMessageStartingWith("message decoded from consumed=" + encoded.length + " of length="
						+ padded.length + " bytes");
		assertThat(codec.decode(encoded, 0, encoded.length)).isEqualTo("abc");
	}

	@Test
	void graphDeeperThanMaxDepthIsRejected() {
		List<Object> root = new ArrayList<>();
		List<Object> current = root;
		for (int depth = 0; depth < 1100; depth++) {
			List<Object> child = new ArrayList<>();
			current.add(child);
			current = child;
		}

		assertThatThrownBy(() -> codec.encode(root, (buffer, length) -> { }))
				.isInstanceOf(KryoException.class)
				.hasMessageContaining("Max depth exceeded");
		assertThat(roundTrip(codec, List.of(List.of(1)))).isEqualTo(List.of(List.of(1)));
	}

	@Test
	void concurrentCallersEachGetTheirOwnResult() throws Exception {
		int threads = 4;
		int iterations = 300;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		CountDownLatch start = new CountDownLatch(1);
		AtomicReference<String> mismatch = new AtomicReference<>();
		try {
			List<Future<Integer>> results = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				results.add(executor.submit(() -> {
					start.await();
					int checked = 0;
					for (int i = 0; i < iterations; i++) {
						Route route = new Route("t" + thread + "-" + i, List.of(new Point(thread, i)),
								Map.of("i", i), Optional.of(Instant.ofEpochSecond(i)),
								i % 2 == 0 ? Color.RED : Color.GREEN);
						Object decoded = roundTrip(codec, i % 3 == 0 ? (Object) i : route);
						if (!decoded.equals(i % 3 == 0 ? (Object) i : route)) {
							mismatch.compareAndSet(null, "thread=" + thread + " i=" + i + " got " + decoded);
						}
						checked++;
					}
					return checked;
				}));
			}
			start.countDown();
			for (Future<Integer> result : results) {
				assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(iterations);
			}
		} finally {
			executor.shutdownNow();
		}
		assertThat(mismatch.get()).isNull();
	}

	private static Object pose(String name, double x, double y) throws Exception {
		return loader.loadClass(OutsideClasses.POSE).getConstructor(String.class, double.class, double.class)
				.newInstance(name, x, y);
	}

	private static byte[] encode(KryoCodec codec, Object value) {
		AtomicReference<byte[]> copy = new AtomicReference<>();
		codec.encode(value, (buffer, length) -> copy.set(Arrays.copyOf(buffer, length)));
		return copy.get();
	}

	private static Object roundTrip(KryoCodec codec, Object value) {
		AtomicReference<Object> decoded = new AtomicReference<>();
		// Decoding inside the consumer reads the pooled buffer while it is still borrowed, as a ring writer would.
		codec.encode(value, (buffer, length) -> decoded.set(codec.decode(buffer, 0, length)));
		return decoded.get();
	}
}
