package io.vmworkers.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.KryoBufferOverflowException;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.MapReferenceResolver;
import com.esotericsoftware.kryo.util.Pool;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Encodes objects to bytes and back with Kryo, refusing every class outside a {@link ClassAllowList}.
 *
 * <p>Thread-safe: each call borrows a pooled Kryo instance with its own buffers, so concurrent callers never share
 * Kryo state. Classes are refused at the sender while encoding and at the receiver while decoding; a refused class
 * named in the input is loaded without being initialized.
 *
 * <p>Decoding treats its input as hostile: whatever the bytes, {@link #decode} ends in a value or one of the
 * exceptions it documents, never an {@link OutOfMemoryError} or a {@link StackOverflowError}. Every count read from
 * the message is checked against the bytes left before anything is allocated for it ({@link BoundedInput},
 * {@link BoundedSerializers}), nesting is limited to {@value #MAX_DEPTH} levels, and the hashing and comparing that
 * inserting decoded elements into sets and map keys costs is bounded by a budget proportional to the message length
 * ({@link HashingGuard}). Not bounded: many distinct keys with colliding hash codes, which cost what they cost any
 * {@code HashMap} (quadratic in their number when they are not {@code Comparable}), and whatever the constructors,
 * {@code hashCode}, {@code equals} or {@code compareTo} of allowed application classes do.
 *
 * <p>Kryo writes the class of an object it has no registration for as its name, in every message. The JDK classes
 * that commonly cross, and the classes a caller hands in, are therefore registered by id in every Kryo instance, so
 * that they take one byte instead. Both ends of a channel must register the same classes in the same order; they run
 * the same code, so they do. A registered class passes the same allow-list check and gets the same bounded serializer
 * as an implicitly registered one, and a message may still name it instead of giving its id.
 */
public final class KryoCodec {

	/** Receives an encoded message while its pooled buffer is still borrowed. */
	@FunctionalInterface
	public interface EncodedConsumer {

		/**
		 * Takes the encoded bytes; the buffer returns to the pool once this method returns, so copy what you keep.
		 *
		 * @param buffer pooled buffer holding the message from index 0
		 * @param length number of message bytes in {@code buffer}
		 */
		void accept(byte[] buffer, int length);
	}

	/**
	 * Deepest object nesting read or written; also bounds hashing decoded elements. Each level costs Kryo up to about
	 * 1.2 KB of stack before the JIT compiles it (measured on Java 17 with field-serialized classes, the deepest
	 * frames), so the limit needs about 620 KB and leaves room for the caller in a default 1 MB thread stack. At 1024
	 * levels a hostile message could overflow that stack.
	 */
	static final int MAX_DEPTH = 512;

	/**
	 * Id of the first fixed registration. Kryo 5.6 registers {@code int}, {@code String} and the other primitives
	 * (and with them their wrappers) as ids 0 to 8; Kryo writes a registered class as its id plus 2 in a
	 * variable-length int, which takes one byte up to id 125.
	 */
	static final int FIRST_REGISTRATION_ID = 16;

	/**
	 * The JDK classes that commonly cross a channel, registered in this order from {@link #FIRST_REGISTRATION_ID}.
	 * Each is admitted by {@link ClassAllowList}. Appending keeps the ids of the others; any change alters the
	 * encoding, which only matters between different builds, and those never share a channel.
	 */
	static final List<Class<?>> JDK_REGISTRATIONS = List.of(Object[].class, String[].class, byte[].class,
			int[].class, long[].class, double[].class, float[].class, short[].class, char[].class, boolean[].class,
			ArrayList.class, LinkedList.class, HashMap.class, LinkedHashMap.class, TreeMap.class, HashSet.class,
			LinkedHashSet.class, TreeSet.class,
			// The JDK's private classes behind List.of, Set.of, Map.of and Collections.empty*, as ClassAllowList
			// takes them.
			List.of(0).getClass(), List.of(0, 1, 2).getClass(), Set.of(0).getClass(), Set.of(0, 1, 2).getClass(),
			Map.of(0, 0).getClass(), Map.of(0, 0, 1, 1, 2, 2).getClass(), Collections.emptyList().getClass(),
			Collections.emptySet().getClass(), Collections.emptyMap().getClass(),
			BigInteger.class, BigDecimal.class, UUID.class, Instant.class, Duration.class, LocalDate.class,
			LocalTime.class, LocalDateTime.class, Optional.class);

	private static final int INITIAL_BUFFER_BYTES = 512;

	// A burst of large messages would otherwise leave max-message-size buffers pinned in every pooled slot;
	// 1 MiB keeps a steady stream of 64 KiB arrays (65,544 bytes encoded) from regrowing a buffer per message.
	private static final int RETAINED_BUFFER_BYTES = 1 << 20;

	private final ClassAllowList allowList;

	private final ClassLoader classLoader;

	private final int maxMessageSize;

	private final int maxDepth;

	private final List<Class<?>> registrations;

	private final Pool<Slot> slots;

	/**
	 * Creates a codec that registers {@link #JDK_REGISTRATIONS} only.
	 *
	 * @param allowList the classes that may be encoded and decoded
	 * @param classLoader loader for the class names read from the input
	 * @param maxMessageSize largest encoded message in bytes
	 * @throws IllegalArgumentException if {@code maxMessageSize} is not positive
	 */
	public KryoCodec(ClassAllowList allowList, ClassLoader classLoader, int maxMessageSize) {
		this(allowList, classLoader, maxMessageSize, List.of());
	}

	/**
	 * Creates a codec that also registers the given classes by id, so that a message holding one of them carries a
	 * one-byte id instead of the class name. The codec at the other end of the channel must be given the same
	 * classes in the same order.
	 *
	 * @param allowList the classes that may be encoded and decoded
	 * @param classLoader loader for the class names read from the input
	 * @param maxMessageSize largest encoded message in bytes
	 * @param registered classes to register after {@link #JDK_REGISTRATIONS}, in this order; each must be allowed
	 * @throws IllegalArgumentException if {@code maxMessageSize} is not positive, or a class is listed twice or is
	 *     one Kryo or this codec already registers
	 * @throws ClassNotAllowedException if a registered class is outside the allow-list
	 */
	public KryoCodec(ClassAllowList allowList, ClassLoader classLoader, int maxMessageSize,
			List<Class<?>> registered) {
		this(allowList, classLoader, maxMessageSize, MAX_DEPTH, concat(JDK_REGISTRATIONS, registered));
	}

	/** Creates a codec with another depth limit, for tests that write graphs deeper than {@link #MAX_DEPTH}. */
	KryoCodec(ClassAllowList allowList, ClassLoader classLoader, int maxMessageSize, int maxDepth) {
		this(allowList, classLoader, maxMessageSize, maxDepth, JDK_REGISTRATIONS);
	}

	/**
	 * Creates a codec with exactly the given fixed registrations; an empty list gives the codec that writes every
	 * class outside Kryo's own registrations by name, for tests and for comparing the two in benchmarks.
	 *
	 * @param registrations all classes to register by id from {@link #FIRST_REGISTRATION_ID}, in this order
	 */
	KryoCodec(ClassAllowList allowList, ClassLoader classLoader, int maxMessageSize, int maxDepth,
			List<Class<?>> registrations) {
		if (maxMessageSize <= 0) {
			throw new IllegalArgumentException("maxMessageSize=" + maxMessageSize + " must be positive; set "
					+ "vmworkers.channel.max-message-size to a byte count above 0");
		}
		this.allowList = Objects.requireNonNull(allowList, "allowList");
		this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
		this.maxMessageSize = maxMessageSize;
		this.maxDepth = maxDepth;
		this.registrations = List.copyOf(registrations);
		this.slots = new Pool<>(true, false) {
			@Override
			protected Slot create() {
				return newSlot();
			}
		};
		// Builds the first slot now, so that a registration the allow-list refuses or Kryo cannot take fails here.
		this.slots.free(newSlot());
	}

	/**
	 * Returns the largest encoded message this codec produces or accepts.
	 * @return the limit in bytes
	 */
	public int maxMessageSize() {
		return this.maxMessageSize;
	}

	/**
	 * Returns the allow-list this codec checks classes against, which also decides the exceptions
	 * {@link RemoteThrowable#toThrowable(ClassAllowList, ClassLoader, String)} rebuilds.
	 * @return the allow-list
	 */
	public ClassAllowList allowList() {
		return this.allowList;
	}

	/**
	 * Encodes a value and hands the bytes to {@code consumer} before the pooled buffer is reused.
	 *
	 * @param value the object graph to encode; may be {@code null}
	 * @param consumer receives the buffer and the message length
	 * @throws ClassNotAllowedException if the graph contains a class outside the allow-list
	 * @throws IllegalArgumentException if the message would exceed {@code maxMessageSize}
	 */
	public void encode(Object value, EncodedConsumer consumer) {
		Slot slot = slots.obtain();
		// A failed write can leave Kryo mid-graph (depth, generics and reference stacks), so a slot that threw is
		// dropped instead of returned: the pool builds a fresh one on demand.
		try {
			slot.output().reset();
			slot.kryo().writeClassAndObject(slot.output(), value);
		} catch (RuntimeException e) {
			throw encodeFailure(e);
		}
		try {
			consumer.accept(slot.output().getBuffer(), slot.output().position());
		} finally {
			release(slot);
		}
	}

	/**
	 * Decodes one message that must span exactly {@code length} bytes.
	 *
	 * @param buffer holds the message
	 * @param offset index of the first message byte
	 * @param length number of message bytes
	 * @return the decoded object graph, possibly {@code null}
	 * @throws ClassNotAllowedException if the input names a class outside the allow-list
	 * @throws IllegalArgumentException if the message ends before {@code length} bytes, or {@code length} exceeds
	 *     {@code maxMessageSize}
	 * @throws KryoException if the bytes are not a message of this codec, including when they declare more elements
	 *     than they hold, nest deeper than the depth limit, or make hashing the decoded elements explode; exceptions
	 *     of the JDK classes being rebuilt (for example a {@code DateTimeException}) are its cause
	 */
	public Object decode(byte[] buffer, int offset, int length) {
		Objects.checkFromIndexSize(offset, length, buffer.length);
		if (length > maxMessageSize) {
			throw new IllegalArgumentException("message length=" + length + " exceeds maxMessageSize="
					+ maxMessageSize + "; raise vmworkers.channel.max-message-size on both sides");
		}
		Slot slot = slots.obtain();
		Object value;
		int consumed;
		// As in encode, a slot that threw is dropped.
		try {
			slot.input().start(buffer, offset, length);
			value = slot.kryo().readClassAndObject(slot.input());
			consumed = slot.input().position() - offset;
		} catch (RuntimeException e) {
			throw decodeFailure(e);
		}
		// Drops the reference so the pool does not keep the caller's array alive.
		slot.input().finish();
		slots.free(slot);
		if (consumed != length) {
			throw new IllegalArgumentException("message decoded from consumed=" + consumed + " of length=" + length
					+ " bytes; the frame length is wrong or the bytes were written by another codec");
		}
		return value;
	}

	/**
	 * Returns the serializer this codec uses for a class, registering the class as encoding it would.
	 *
	 * @param type an allowed class
	 * @return its serializer
	 */
	Serializer<?> serializerFor(Class<?> type) {
		Slot slot = slots.obtain();
		try {
			return slot.kryo().getSerializer(type);
		} finally {
			slots.free(slot);
		}
	}

	private Slot newSlot() {
		Kryo kryo = new Kryo(new AllowListClassResolver(allowList), new SmallGraphReferenceResolver());
		kryo.setRegistrationRequired(false);
		kryo.setReferences(true);
		kryo.setClassLoader(classLoader);
		kryo.setMaxDepth(maxDepth);
		kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
		JdkSerializers.addDefaults(kryo);
		// After the default serializers: a registration takes the serializer that implicit registration would.
		AllowListClassResolver resolver = (AllowListClassResolver) kryo.getClassResolver();
		int id = FIRST_REGISTRATION_ID;
		for (Class<?> type : registrations) {
			resolver.registerFixed(type, id++);
		}
		return new Slot(kryo, new Output(Math.min(INITIAL_BUFFER_BYTES, maxMessageSize), maxMessageSize),
				new BoundedInput(maxMessageSize, maxDepth));
	}

	private static List<Class<?>> concat(List<Class<?>> first, List<Class<?>> second) {
		List<Class<?>> all = new ArrayList<>(first);
		all.addAll(second);
		return all;
	}

	private void release(Slot slot) {
		if (slot.output().getBuffer().length > RETAINED_BUFFER_BYTES) {
			slot.output().setBuffer(new byte[INITIAL_BUFFER_BYTES], maxMessageSize);
		}
		slots.free(slot);
	}

	private RuntimeException encodeFailure(RuntimeException failure) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof KryoBufferOverflowException) {
				return new IllegalArgumentException("message exceeds maxMessageSize=" + maxMessageSize + ", length>="
						+ (maxMessageSize + 1L) + "; raise vmworkers.channel.max-message-size", failure);
			}
		}
		return refusalIn(failure);
	}

	/**
	 * Reports a failed decode as the refusal it contains, a {@link KryoException}, or a {@link KryoException} around
	 * whatever else the bytes provoked (an index out of range, a failed cast, a JDK factory refusing a value).
	 */
	private static RuntimeException decodeFailure(RuntimeException failure) {
		RuntimeException refusal = refusalIn(failure);
		if (refusal instanceof ClassNotAllowedException || refusal instanceof KryoException) {
			return refusal;
		}
		return new KryoException("message is not a valid encoding of this codec: " + failure, failure);
	}

	/** Kryo wraps exceptions thrown deep in a graph with its serialization trace; the refusal is the real cause. */
	private static RuntimeException refusalIn(RuntimeException failure) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof ClassNotAllowedException refused) {
				return refused;
			}
		}
		return failure;
	}

	/**
	 * Kryo's {@link MapReferenceResolver} with the first objects of each written graph kept in an array instead of the
	 * identity map. Finding them costs a few comparisons instead of an identity hash code, which is a call into the VM
	 * the first time an object is hashed: for a graph of a few fresh objects, such as a CALL frame's payload and its
	 * arguments, that is most of what tracking references costs. Ids, and so the encoding and the reference semantics,
	 * are Kryo's; reading is unchanged.
	 */
	private static final class SmallGraphReferenceResolver extends MapReferenceResolver {

		/** Objects compared one by one before the identity map takes over. */
		private static final int SCANNED = 16;

		private final Object[] first = new Object[SCANNED];

		private int written;

		@Override
		public int addWrittenObject(Object object) {
			int id = this.written++;
			if (id < SCANNED) {
				this.first[id] = object;
			}
			else {
				this.writtenObjects.put(object, id);
			}
			return id;
		}

		@Override
		public int getWrittenId(Object object) {
			int scanned = Math.min(this.written, SCANNED);
			for (int id = 0; id < scanned; id++) {
				if (this.first[id] == object) {
					return id;
				}
			}
			return (this.written > SCANNED) ? this.writtenObjects.get(object, -1) : -1;
		}

		@Override
		public void reset() {
			super.reset();
			Arrays.fill(this.first, 0, Math.min(this.written, SCANNED), null);
			this.written = 0;
		}
	}

	/** One Kryo instance with the buffers it writes to and reads from, borrowed by one call at a time. */
	private record Slot(Kryo kryo, Output output, BoundedInput input) {
	}

	/**
	 * Consults the allow-list the first time a Kryo instance meets an unregistered class, and swaps the serializers
	 * that would allocate by an unchecked count for bounded ones; registers the fixed classes the same way.
	 */
	private static final class AllowListClassResolver extends DefaultClassResolver {

		private final ClassAllowList allowList;

		AllowListClassResolver(ClassAllowList allowList) {
			this.allowList = allowList;
		}

		@Override
		@SuppressWarnings("rawtypes")
		public Registration registerImplicit(Class type) {
			allowList.check(type);
			Registration registration = super.registerImplicit(type);
			registration.setSerializer(BoundedSerializers.bound(kryo, type, registration.getSerializer()));
			return registration;
		}

		/**
		 * Registers a class by id, checked and with its serializer bounded as {@link #registerImplicit} does.
		 *
		 * @param type the class
		 * @param id its id, which no other registration may have
		 * @throws ClassNotAllowedException if the class is outside the allow-list
		 * @throws IllegalArgumentException if the class or the id is registered already
		 */
		void registerFixed(Class<?> type, int id) {
			allowList.check(type);
			Registration existing = getRegistration(type);
			if (existing != null || getRegistration(id) != null) {
				throw new IllegalArgumentException("cannot register " + type.getName() + " as id " + id + ": "
						+ ((existing != null) ? "the class is registered already as id " + existing.getId()
								: "the id is taken by " + getRegistration(id).getType().getName())
						+ "; list each class once, and none that Kryo registers itself (primitives, their wrappers, "
						+ "String)");
			}
			register(new Registration(type, BoundedSerializers.bound(kryo, type, kryo.getDefaultSerializer(type)),
					id));
		}
	}
}
