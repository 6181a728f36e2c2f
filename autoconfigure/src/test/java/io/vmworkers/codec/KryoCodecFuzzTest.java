package io.vmworkers.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Output;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.Currency;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fuzz target for {@link KryoCodec#decode}: any bytes end in a value or one of the codec's documented exceptions.
 *
 * <p>In a normal build ({@code ./mvnw verify}) Jazzer replays every file under
 * {@code src/test/resources/io/vmworkers/codec/KryoCodecFuzzTestInputs/decode/} once: valid encodings of many allowed
 * types, truncated ones, and the inputs that broke the codec before it was hardened. To fuzz (each run adds what it
 * learns to {@code autoconfigure/.cifuzz-corpus/}, which is not committed; a crash is written into the inputs
 * directory above, where it then replays in every build once fixed):
 *
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -pl autoconfigure test -Dtest=KryoCodecFuzzTest '-Djazzer.instrument=io.vmworkers.**,com.esotericsoftware.**'
 * </pre>
 *
 * ({@code jazzer.instrument} adds Kryo to the coverage the fuzzer steers by; by default only the project's own classes
 * count. {@code @FuzzTest(maxDuration)} bounds a run; {@code -Djazzer.keep_going=N} collects N findings before
 * stopping.)
 *
 * To rewrite the valid seeds after a format change, run with {@code -Dvmworkers.fuzz.write-seeds=true}.
 * Escapes that are findings: any other exception, an {@link OutOfMemoryError} or {@link StackOverflowError}, and an
 * input slower than Jazzer's timeout.
 */
class KryoCodecFuzzTest {

	static final int MAX_MESSAGE_SIZE = 1 << 16;

	static final KryoCodec CODEC = new KryoCodec(new ClassAllowList(List.of("io.vmworkers.codec")),
			KryoCodecFuzzTest.class.getClassLoader(), MAX_MESSAGE_SIZE);

	private static final Path SEEDS = Path.of("src/test/resources/io/vmworkers/codec/KryoCodecFuzzTestInputs/decode");

	/**
	 * Replays the saved inputs without Jazzer's bug-detector hooks, which take about ten seconds to install and only
	 * matter while fuzzing (a crash they detect is saved as an input that fails without them too, as these targets
	 * catch every unexpected throwable by letting it escape). Fuzzing ({@code JAZZER_FUZZ} set) and an explicit
	 * {@code -Djazzer.hooks} keep them.
	 */
	@BeforeAll
	static void replayWithoutBugDetectorHooks() {
		if (System.getenv("JAZZER_FUZZ") == null && System.getProperty("jazzer.hooks") == null) {
			System.setProperty("jazzer.hooks", "false");
		}
	}

	@FuzzTest(maxDuration = "5m")
	void decode(byte[] message) {
		decodeHostile(CODEC, message, 0, message.length);
	}

	/**
	 * Decodes bytes that may be anything, letting only the codec's documented failures pass.
	 *
	 * @param codec the codec
	 * @param buffer holds the message
	 * @param offset where it starts
	 * @param length its length
	 */
	static void decodeHostile(KryoCodec codec, byte[] buffer, int offset, int length) {
		try {
			codec.decode(buffer, offset, length);
		}
		catch (KryoException | ClassNotAllowedException | IllegalArgumentException expected) {
			// Refused: what the codec promises for bytes it did not write.
		}
	}

	@Test
	@EnabledIfSystemProperty(named = "vmworkers.fuzz.write-seeds", matches = "true")
	void writeSeeds() throws IOException {
		Files.createDirectories(SEEDS);
		for (Object value : seedValues()) {
			byte[] encoded = encode(value);
			write("valid-", encoded);
			if (encoded.length > 4) {
				write("truncated-", Arrays.copyOf(encoded, encoded.length / 2));
			}
		}
		for (byte[] hostile : hostileSeeds()) {
			write("hostile-", hostile);
		}
	}

	/** The shapes of input that broke the codec before it bounded counts, depth and hashing. */
	static List<byte[]> hostileSeeds() {
		List<byte[]> seeds = new ArrayList<>();
		// An int[] declaring 2^30 elements; a string declaring 2^30 chars; a list declaring 2^30 elements.
		seeds.add(withEnd(encode(new int[0]), 1, (out) -> out.writeVarInt((1 << 30) + 1, true)));
		seeds.add(withEnd(encode(""), 1, (out) -> out.writeVarIntFlag(true, (1 << 30) + 1, true)));
		seeds.add(withEnd(encode(new ArrayList<>()), 1, (out) -> out.writeVarIntFlag(false, (1 << 30) + 1, true)));
		seeds.add(withEnd(encode(new HashMap<>()), 1, (out) -> out.writeVarInt((1 << 30) + 1, true)));
		// A list that contains itself, hashed into a set.
		Set<Object> cyclic = new HashSet<>();
		List<Object> self = new ArrayList<>();
		cyclic.add(self);
		self.add(self);
		seeds.add(encode(cyclic));
		// 40 levels of lists holding the next one twice, hashed into a set.
		Set<Object> exponential = new HashSet<>();
		List<Object> top = new ArrayList<>();
		exponential.add(top);
		Object level = "leaf";
		for (int i = 0; i < 40; i++) {
			level = new ArrayList<>(List.of(level, level));
		}
		top.add(level);
		seeds.add(encode(exponential));
		return seeds;
	}

	private static byte[] withEnd(byte[] valid, int replaced, java.util.function.Consumer<Output> tail) {
		Output out = new Output(64, -1);
		out.writeBytes(valid, 0, valid.length - replaced);
		tail.accept(out);
		out.writeBytes(new byte[] {1, 1, 1, 1});
		return out.toBytes();
	}

	/** Values covering every serializer reachable from the allow-list, each small. */
	static List<Object> seedValues() {
		KryoCodecHostileInputTest.Bag bag = new KryoCodecHostileInputTest.Bag();
		bag.content = List.of("x");
		KryoCodecTest.Node first = new KryoCodecTest.Node();
		KryoCodecTest.Node second = new KryoCodecTest.Node();
		first.name = "a";
		first.next = second;
		second.next = first;
		EnumMap<TimeUnit, Object> units = new EnumMap<>(TimeUnit.class);
		units.put(TimeUnit.SECONDS, 1);
		BitSet bits = new BitSet();
		bits.set(70);
		Map<Object, Object> map = new HashMap<>();
		map.put(new KryoCodecHostileInputTest.Pair(1, "b"), bag);
		List<Object> values = new ArrayList<>(List.of(7, -3L, 2.5, 'c', true, (byte) 1, (short) 2, 1.5f, "ascii",
				"\u00e9t\u00e9 \u4e2d", new int[] {1, -1}, new long[][] {{1L}, {}}, new boolean[] {true},
				new double[] {1.0}, new byte[] {9}, new char[] {'q'}, new String[] {"s", null},
				new Object[] {1, "two", null}, new BigInteger("-123456789012345678901234567890"),
				new BigDecimal("1.50"), bits, UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
				Instant.ofEpochSecond(5, 6), Duration.ofMillis(7), LocalDate.of(2024, 2, 29),
				ZonedDateTime.of(2024, 3, 31, 2, 30, 0, 0, ZoneId.of("Europe/Paris")), Locale.CANADA_FRENCH,
				Currency.getInstance("EUR"), URI.create("https://example.com/a?b#c"), Optional.of("o"),
				new ArrayList<>(List.of(1, "x")), new LinkedList<>(List.of(1)), new ArrayDeque<>(List.of("d")),
				new HashSet<>(List.of(1, 2)), new TreeSet<>(List.of("a", "b")), map,
				new LinkedHashMap<>(Map.of("k", 1)), new TreeMap<>(Map.of(1, "v")),
				new ConcurrentHashMap<>(Map.of("c", 2)), List.of(1, 2, 3), Set.of("s"), Map.of("m", 1),
				Arrays.asList("p", null), Collections.unmodifiableList(new ArrayList<>(List.of(1))),
				Collections.unmodifiableSet(new HashSet<>(List.of(1))),
				Collections.unmodifiableMap(new HashMap<>(Map.of(1, 2))), Collections.singletonList(1),
				Collections.emptyMap(), units, EnumSet.of(DayOfWeek.MONDAY), DayOfWeek.FRIDAY,
				new KryoCodecTest.Point(3, 4), first, bag));
		values.add(null);
		return values;
	}

	private static byte[] encode(Object value) {
		AtomicReference<byte[]> copy = new AtomicReference<>();
		CODEC.encode(value, (buffer, length) -> copy.set(Arrays.copyOf(buffer, length)));
		return copy.get();
	}

	private static void write(String prefix, byte[] bytes) throws IOException {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1").digest(bytes);
			Files.write(SEEDS.resolve(prefix + HexFormat.of().formatHex(digest, 0, 8)), bytes);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new UncheckedIOException(new IOException(ex));
		}
	}
}
