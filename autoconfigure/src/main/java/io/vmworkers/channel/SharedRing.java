package io.vmworkers.channel;

import static io.vmworkers.channel.RingDescriptor.CAPACITY_OFFSET;
import static io.vmworkers.channel.RingDescriptor.CONSUMER_READING_OFFSET;
import static io.vmworkers.channel.RingDescriptor.CONSUMER_WAITING_OFFSET;
import static io.vmworkers.channel.RingDescriptor.CONTROL_LENGTH;
import static io.vmworkers.channel.RingDescriptor.CREATOR_PID_OFFSET;
import static io.vmworkers.channel.RingDescriptor.DATA_SEQUENCE_OFFSET;
import static io.vmworkers.channel.RingDescriptor.FLAG_CONTINUATION;
import static io.vmworkers.channel.RingDescriptor.FLAG_MORE_FRAGMENTS;
import static io.vmworkers.channel.RingDescriptor.HEAD_OFFSET;
import static io.vmworkers.channel.RingDescriptor.MAGIC;
import static io.vmworkers.channel.RingDescriptor.MAGIC_OFFSET;
import static io.vmworkers.channel.RingDescriptor.PADDING_TYPE;
import static io.vmworkers.channel.RingDescriptor.PRODUCER_WAITING_OFFSET;
import static io.vmworkers.channel.RingDescriptor.RECORD_CHECKSUMMED_HEADER_LENGTH;
import static io.vmworkers.channel.RingDescriptor.RECORD_CHECKSUM_OFFSET;
import static io.vmworkers.channel.RingDescriptor.RECORD_CORRELATION_OFFSET;
import static io.vmworkers.channel.RingDescriptor.RECORD_HEADER_LENGTH;
import static io.vmworkers.channel.RingDescriptor.RECORD_LENGTH_OFFSET;
import static io.vmworkers.channel.RingDescriptor.RECORD_POSITION_OFFSET;
import static io.vmworkers.channel.RingDescriptor.RECORD_RESERVED_OFFSET;
import static io.vmworkers.channel.RingDescriptor.RECORD_TYPE_OFFSET;
import static io.vmworkers.channel.RingDescriptor.SPACE_SEQUENCE_OFFSET;
import static io.vmworkers.channel.RingDescriptor.TAIL_OFFSET;
import static io.vmworkers.channel.RingDescriptor.TYPE_MASK;
import static io.vmworkers.channel.RingDescriptor.VERSION;
import static io.vmworkers.channel.RingDescriptor.VERSION_OFFSET;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * One direction of a channel: a single-producer, single-consumer ring of records in a
 * memory-mapped file, laid out as {@link RingDescriptor} describes.
 * <p>
 * The producer publishes records by a release store of the tail after writing them; the consumer
 * reads the tail with acquire semantics, reads the records, then publishes the head with a release
 * store, which hands the space back. A producer that dies between writing a record and publishing
 * the tail leaves nothing visible, so it never blocks the survivor. Threads of one process may write
 * concurrently: writes are serialized by a lock, which also keeps the fragments of one message
 * contiguous. Reading is for one thread at a time.
 * <p>
 * Waiting does not burn a core: a waiter spins for {@code spinNanos}, then announces itself in its
 * waiting word and sleeps on a futex, which the other side wakes after publishing. The announce,
 * re-check, sleep sequence and the publish, check, wake sequence use volatile (sequentially
 * consistent) accesses, so at least one side always sees the other.
 * <p>
 * Neither side trusts the other's position word: a tail or head that no correct peer could have
 * published makes the read or write throw {@link ChannelCorruptedException} instead of reading
 * garbage, overwriting unread records, or waiting forever. A write's timeout covers the whole
 * message, the wait for the write lock included; an interrupt ends a write's wait with
 * {@link ChannelInterruptedException} and makes {@link #awaitData} return false.
 */
public final class SharedRing implements FrameSink {

	private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class,
			ByteOrder.nativeOrder());

	private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class,
			ByteOrder.nativeOrder());

	/** Turns of a pure spin between looks at the clock and the ring's state. */
	private static final int SPIN_CHECK_MASK = 0x3f;

	/** How long a waiter spins with CPU pauses before it spins with yields. */
	private static final long PURE_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(2);

	/**
	 * How long a sleeping waiter stays in the kernel before it re-checks on its own. Every publish
	 * and every local close wakes sleepers, so this is a safety net, and the way a sleeper notices
	 * an interrupt: {@link Thread#interrupt()} sets a flag and unparks, but does not wake a futex
	 * sleeper. Each re-check costs an idle side a wake-up, so it is long; an interrupted waiter
	 * returns within this time (the dispatch's own waits re-check every few milliseconds anyway).
	 */
	private static final long INTERRUPT_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

	/** {@link #writeStart} of a write that has not waited yet. */
	private static final long NOT_WAITED = Long.MIN_VALUE;

	/** The bits a record's type word may have. */
	private static final int TYPE_BITS = TYPE_MASK | FLAG_MORE_FRAGMENTS | FLAG_CONTINUATION;

	private static final AtomicBoolean PRELOADING = new AtomicBoolean();

	/**
	 * Whether the reading thread announced itself since its last {@link #wakeSleepersIfUnread()}:
	 * only then may a producer have left sleepers asleep. Used by that one thread.
	 */
	private boolean announcedReading;

	/** The ring's file, or null for a ring in this process's memory. */
	private final Path file;

	/** What messages name the ring by: its file, or where it lives in memory. */
	private final String where;

	/** The memory of the ring, control block first. */
	private final ByteBuffer memory;

	private final ByteBuffer control;

	private final ByteBuffer data;

	private final long controlAddress;

	private final int capacity;

	private final int mask;

	private final int maxFragmentPayload;

	private final long spinNanos;

	private final ReentrantLock writeLock = new ReentrantLock();

	private final RingStatistics statistics = new RingStatistics();

	/** Producer's checksum, used under the write lock. */
	private final CRC32C producerChecksum = new CRC32C();

	/**
	 * Producer's header, built here and copied into the ring in one piece: the checksum is computed
	 * over it in one update, without allocating.
	 */
	private final ByteBuffer producerHeader = ByteBuffer.allocate(RECORD_HEADER_LENGTH)
		.order(ByteOrder.nativeOrder());

	/** Consumer's checksum, used by the one reading thread. */
	private final CRC32C consumerChecksum = new CRC32C();

	/**
	 * Consumer's copy of the header being read: one copy out of the ring, so the fields it checks
	 * are the bytes it checksums, even if the mapping changes meanwhile.
	 */
	private final ByteBuffer consumerHeader = ByteBuffer.allocate(RECORD_HEADER_LENGTH)
		.order(ByteOrder.nativeOrder());

	/** Longest message the consumer reassembles; a longer one is refused before it is allocated. */
	private volatile int maxMessageLength = Integer.MAX_VALUE - 8;

	/**
	 * When the write in progress first waited (for the lock or for room), or {@link #NOT_WAITED}:
	 * its timeout counts from there. Used under {@link #writeLock}.
	 */
	private long writeStart;

	/** Producer's own copy of the tail: only the producer writes it, under {@link #writeLock}. */
	private long producerTail;

	/** Producer's last view of the head, refreshed only when space seems short. */
	private long headCache;

	/**
	 * Consumer's own copy of the head. Volatile because threads may wait for data without being
	 * the reader (see {@link #awaitData}).
	 */
	private volatile long consumerHead;

	/** Fragments of a message being reassembled by the consumer. */
	private byte[] assembly = new byte[0];

	private int assembled;

	/** Whether a sequence of fragments has begun and not ended. */
	private boolean assembling;

	/** Type word, flags cleared, and correlation id of the sequence being reassembled. */
	private int assemblyType;

	private long assemblyId;

	/** Copy of one unfragmented payload handed to the consumer's handler. */
	private byte[] scratch = new byte[256];

	private volatile boolean closed;

	/** When this producer last woke a sleeping consumer (System.nanoTime()). */
	private volatile long lastWakeNanos = System.nanoTime() - TimeUnit.HOURS.toNanos(1);

	private SharedRing(Path file, String where, ByteBuffer mapping, int capacity, long spinNanos) {
		this.file = file;
		this.where = where;
		this.memory = mapping;
		mapping.order(ByteOrder.nativeOrder());
		this.control = mapping.slice(0, CONTROL_LENGTH).order(ByteOrder.nativeOrder());
		this.data = mapping.slice(CONTROL_LENGTH, capacity).order(ByteOrder.nativeOrder());
		this.controlAddress = Futex.address(this.control);
		this.capacity = capacity;
		this.mask = capacity - 1;
		this.maxFragmentPayload = RingDescriptor.maxFragmentPayload(capacity);
		this.spinNanos = spinNanos;
		this.producerTail = (long) LONGS.getVolatile(this.control, TAIL_OFFSET);
		this.consumerHead = (long) LONGS.getVolatile(this.control, HEAD_OFFSET);
		this.headCache = this.consumerHead;
	}

	/**
	 * Creates a new ring file, failing if anything already exists at {@code file}. The file is
	 * created with mode 0600 and its magic and version are written last.
	 * @param file the path, normally under /dev/shm
	 * @param capacity the data area's size, a power of two
	 * @param spinNanos how long a waiter spins before it sleeps
	 * @return the mapped ring
	 * @throws IOException when the file exists or cannot be created or mapped
	 */
	public static SharedRing create(Path file, int capacity, long spinNanos) throws IOException {
		RingDescriptor.checkCapacity(capacity);
		long length = RingDescriptor.fileLength(capacity);
		MappedByteBuffer mapping;
		// Outside the try: when the path exists, it is someone else's and must not be deleted.
		FileChannel channel = FileChannel.open(file,
				EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		try (channel) {
			// Extend by writing the last byte: the pages stay unallocated until touched.
			channel.write(ByteBuffer.wrap(new byte[1]), length - 1);
			mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
		}
		catch (IOException | RuntimeException ex) {
			Files.deleteIfExists(file);
			throw ex;
		}
		initialize(mapping, capacity);
		return new SharedRing(file, file.toString(), mapping, capacity, spinNanos);
	}

	/**
	 * Creates a ring in this process's memory, with no file: for a worker that runs in the
	 * master's JVM. The other end is {@link #otherEnd()}; both wait and wake as between processes.
	 * @param where what messages name the ring by
	 * @param capacity the data area's size, a power of two
	 * @param spinNanos how long a waiter spins before it sleeps
	 * @return the ring
	 */
	public static SharedRing inMemory(String where, int capacity, long spinNanos) {
		RingDescriptor.checkCapacity(capacity);
		long length = RingDescriptor.fileLength(capacity);
		if (length > Integer.MAX_VALUE - 64) {
			throw new IllegalArgumentException("capacity too large for a ring in memory: " + capacity);
		}
		// Aligned as a mapping is: the futex words and the atomic positions need it.
		ByteBuffer memory = ByteBuffer.allocateDirect((int) length + 64).alignedSlice(64).limit((int) length).slice();
		initialize(memory, capacity);
		return new SharedRing(null, "memory:" + where, memory, capacity, spinNanos);
	}

	/**
	 * Returns another end of this ring, over the same memory, as {@link #attach} gives another
	 * process: one end produces, the other consumes, and each closes on its own.
	 * @return the other end
	 */
	public SharedRing otherEnd() {
		return new SharedRing(this.file, this.where, this.memory, this.capacity, this.spinNanos);
	}

	private static void initialize(ByteBuffer memory, int capacity) {
		memory.order(ByteOrder.nativeOrder());
		memory.putInt(CAPACITY_OFFSET, capacity);
		memory.putLong(CREATOR_PID_OFFSET, ProcessHandle.current().pid());
		INTS.setRelease(memory, VERSION_OFFSET, VERSION);
		INTS.setRelease(memory, MAGIC_OFFSET, MAGIC);
	}

	/**
	 * Maps an existing ring file written by {@link #create}.
	 * @param file the path
	 * @param spinNanos how long a waiter spins before it sleeps
	 * @return the mapped ring
	 * @throws IOException when the file cannot be opened or is not a complete ring of this version
	 */
	public static SharedRing attach(Path file, long spinNanos) throws IOException {
		MappedByteBuffer mapping;
		long size;
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			size = channel.size();
			if (size < CONTROL_LENGTH) {
				throw new IOException("not a vmworkers ring: file=" + file + " size=" + size);
			}
			mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
		}
		mapping.order(ByteOrder.nativeOrder());
		int magic = (int) INTS.getAcquire(mapping, MAGIC_OFFSET);
		if (magic != MAGIC) {
			throw new IOException("not a vmworkers ring (or not completely written): file=" + file + " magic=0x"
					+ Integer.toHexString(magic));
		}
		int version = (int) INTS.getAcquire(mapping, VERSION_OFFSET);
		if (version != VERSION) {
			throw new IOException("ring version mismatch: app=" + VERSION + " file=" + version + " (" + file
					+ "); master and worker must run the same vmworkers version");
		}
		int capacity = mapping.getInt(CAPACITY_OFFSET);
		RingDescriptor.checkCapacity(capacity);
		if (RingDescriptor.fileLength(capacity) != size) {
			throw new IOException(
					"ring file size does not match its capacity: file=" + file + " size=" + size + " capacity=" + capacity);
		}
		long head = mapping.getLong(HEAD_OFFSET);
		long tail = mapping.getLong(TAIL_OFFSET);
		if (head < 0 || tail < 0) {
			throw new IOException("corrupt ring: negative position: file=" + file + " head=" + head + " tail=" + tail);
		}
		return new SharedRing(file, file.toString(), mapping, capacity, spinNanos);
	}

	/**
	 * Publishes this producer's beat in the control area: a sign of life with its figures, which
	 * the consumer reads when it looks ({@link #readBeat()}), without waking anyone. Called by one
	 * thread of the producer.
	 * @param figures the figures, {@link RingDescriptor#BEAT_FIGURES} of them
	 */
	@Override
	public void publishBeat(long... figures) {
		if (figures.length != RingDescriptor.BEAT_FIGURES) {
			throw new IllegalArgumentException("a beat has " + RingDescriptor.BEAT_FIGURES + " figures, not "
					+ figures.length);
		}
		long sequence = (long) LONGS.getVolatile(this.control, RingDescriptor.BEAT_SEQUENCE_OFFSET);
		// Odd while the figures change: a reader seeing it, or seeing it change, reads again.
		LONGS.setVolatile(this.control, RingDescriptor.BEAT_SEQUENCE_OFFSET, sequence | 1);
		for (int i = 0; i < figures.length; i++) {
			LONGS.setVolatile(this.control, RingDescriptor.BEAT_FIGURES_OFFSET + 8 * i, figures[i]);
		}
		LONGS.setVolatile(this.control, RingDescriptor.BEAT_SEQUENCE_OFFSET, (sequence | 1) + 1);
	}

	/**
	 * Reads the producer's last beat.
	 * @return its number (1 for the first) followed by its figures, or null when none was published
	 * or it was being written each time it was read
	 */
	public long[] readBeat() {
		for (int attempt = 0; attempt < 8; attempt++) {
			long before = (long) LONGS.getVolatile(this.control, RingDescriptor.BEAT_SEQUENCE_OFFSET);
			if (before == 0) {
				return null;
			}
			if ((before & 1) != 0) {
				Thread.onSpinWait();
				continue;
			}
			long[] beat = new long[1 + RingDescriptor.BEAT_FIGURES];
			beat[0] = before / 2;
			for (int i = 0; i < RingDescriptor.BEAT_FIGURES; i++) {
				beat[1 + i] = (long) LONGS.getVolatile(this.control, RingDescriptor.BEAT_FIGURES_OFFSET + 8 * i);
			}
			if ((long) LONGS.getVolatile(this.control, RingDescriptor.BEAT_SEQUENCE_OFFSET) == before) {
				return beat;
			}
		}
		return null;
	}

	/**
	 * Returns the ring's file.
	 * @return the path, or null for a ring {@linkplain #inMemory in memory}
	 */
	@Override
	public Path file() {
		return this.file;
	}

	/**
	 * Loads, on a daemon thread, the native binding rings wait and wake with (jnr-ffi generates the
	 * futex call, a sizeable part of a JVM's start), so that a starting process has it done by the
	 * time its first ring needs it. Once per JVM, on a platform rings support; a failure is left
	 * for the first ring to report.
	 */
	public static void preloadInBackground() {
		if (!Futex.platformSupported() || !PRELOADING.compareAndSet(false, true)) {
			return;
		}
		Thread preload = new Thread(() -> {
			try {
				Futex.address(ByteBuffer.allocateDirect(8));
			}
			catch (Throwable ex) {
				// No native library: the first ring fails with the reason.
			}
		}, "vmworkers-preload");
		preload.setDaemon(true);
		preload.start();
	}

	/**
	 * Returns how long a waiter spins before it sleeps, unless it asks for another time.
	 * @return the spin time in nanoseconds
	 */
	public long spinNanos() {
		return this.spinNanos;
	}

	/**
	 * Returns the ring's capacity.
	 * @return the capacity in bytes
	 */
	@Override
	public int capacity() {
		return this.capacity;
	}

	/**
	 * Returns what this side wrote and read, counted as it goes.
	 * @return the statistics
	 */
	@Override
	public RingStatistics statistics() {
		return this.statistics;
	}

	/**
	 * Returns the bytes written but not yet consumed, as seen now.
	 * @return bytes waiting in the ring
	 */
	@Override
	public long bytesWaiting() {
		return (long) LONGS.getVolatile(this.control, TAIL_OFFSET) - (long) LONGS.getVolatile(this.control, HEAD_OFFSET);
	}

	/**
	 * Writes one message, split into fragments when it is larger than a quarter of the ring. Blocks
	 * while another thread of this process writes and while the ring is full, at most
	 * {@code timeoutNanos} in all. A message whose fragments were partly written when the time runs
	 * out or the thread is interrupted is never delivered: see {@link RingDescriptor}.
	 * @param type the frame type, 0 to 0xFFFE
	 * @param correlationId the frame's correlation id, 0 to {@link RingDescriptor#MAX_CORRELATION_ID}
	 * @param source the payload
	 * @param offset where the payload starts in {@code source}
	 * @param length the payload's length
	 * @param timeoutNanos how long to wait for the write lock and for room, together
	 * @throws ChannelFullException when the message could not be written in time
	 * @throws ChannelInterruptedException when the thread is interrupted while it waits (its interrupt
	 * flag is set again)
	 * @throws ChannelClosedException when the ring has been closed
	 * @throws ChannelCorruptedException when the consumer's head is impossible
	 */
	@Override
	public void write(int type, long correlationId, byte[] source, int offset, int length, long timeoutNanos) {
		// Every type below padding's.
		RingDescriptor.checkFrame(type, correlationId, PADDING_TYPE - 1);
		// The clock is read only when the write has to wait: most writes never do.
		long start = NOT_WAITED;
		if (!this.writeLock.tryLock()) {
			start = System.nanoTime();
			lockWithin(start, timeoutNanos);
		}
		try {
			this.writeStart = start;
			checkOpen();
			if (length <= this.maxFragmentPayload) {
				writeRecord(type, correlationId, source, offset, length, timeoutNanos);
				this.statistics.recordWrite(length);
				return;
			}
			int written = 0;
			while (written < length) {
				int chunk = Math.min(this.maxFragmentPayload, length - written);
				int flags = ((written > 0) ? FLAG_CONTINUATION : 0)
						| ((written + chunk < length) ? FLAG_MORE_FRAGMENTS : 0);
				writeRecord(type | flags, correlationId, source, offset + written, chunk, timeoutNanos);
				written += chunk;
			}
			this.statistics.recordWrite(length);
		}
		finally {
			this.writeLock.unlock();
		}
	}

	/** Waits for the write lock held by another thread of this process, within the write's time. */
	private void lockWithin(long start, long timeoutNanos) {
		try {
			if (!this.writeLock.tryLock(Math.max(0, timeoutNanos - (System.nanoTime() - start)),
					TimeUnit.NANOSECONDS)) {
				throw new ChannelFullException("ring full for " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
						+ " ms, waiting for another thread of this process to finish writing: file=" + this.where
						+ " capacity=" + this.capacity + " waiting=" + bytesWaiting()
						+ "; the other side is not reading (raise vmworkers.channel.send-timeout or read faster)");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ChannelInterruptedException("interrupted while waiting for the ring's write lock: file="
					+ this.where + " waited=" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + "ms");
		}
	}

	private void writeRecord(int type, long correlationId, byte[] source, int offset, int length, long timeoutNanos) {
		int recordLength = RingDescriptor.recordLength(length);
		int index = (int) (this.producerTail & this.mask);
		int toEnd = this.capacity - index;
		if (recordLength > toEnd) {
			// Published on its own: waiting for room for padding and record together could need
			// more than the whole ring.
			ensureSpace(toEnd, timeoutNanos);
			putRecord(index, toEnd - RECORD_HEADER_LENGTH, PADDING_TYPE, 0, null, 0, 0);
			publish(this.producerTail + toEnd);
			index = 0;
		}
		ensureSpace(recordLength, timeoutNanos);
		putRecord(index, length, type, correlationId, source, offset, length);
		publish(this.producerTail + recordLength);
	}

	private void ensureSpace(int required, long timeoutNanos) {
		if (this.producerTail + required - this.headCache > this.capacity) {
			awaitSpace(required, timeoutNanos);
		}
	}

	private void publish(long tail) {
		this.producerTail = tail;
		// Volatile, not just release: the store must be ordered before the load of the consumer's
		// waiting word below (a store-load barrier), or a consumer about to sleep could be missed.
		LONGS.setVolatile(this.control, TAIL_OFFSET, tail);
		if ((int) INTS.getVolatile(this.control, CONSUMER_WAITING_OFFSET) != 0
				&& (int) INTS.getVolatile(this.control, CONSUMER_READING_OFFSET) == 0) {
			INTS.getAndAdd(this.control, DATA_SEQUENCE_OFFSET, 1);
			Futex.wakeAll(this.controlAddress + DATA_SEQUENCE_OFFSET);
			this.lastWakeNanos = System.nanoTime();
			this.statistics.recordWakeUp();
		}
	}

	/**
	 * Returns when this side last had to wake the consumer from its sleep, as a
	 * {@link System#nanoTime()} value. A consumer that was asleep takes a scheduler wake-up (many
	 * round trips long, more so on a virtual machine) before it answers; a reply's waiter that
	 * knows this spins through that time instead of sleeping and needing a wake-up of its own.
	 * @return the time of the last wake-up
	 */
	@Override
	public long lastWakeNanos() {
		return this.lastWakeNanos;
	}

	/**
	 * Writes a record at {@code index}, its header built in {@link #producerHeader} and copied in
	 * one piece. A padding record's payload is not written and not checksummed.
	 */
	private void putRecord(int index, int length, int type, long correlationId, byte[] payload, int offset,
			int payloadLength) {
		ByteBuffer header = this.producerHeader;
		header.putInt(RECORD_LENGTH_OFFSET, length);
		header.putInt(RECORD_TYPE_OFFSET, type);
		header.putLong(RECORD_CORRELATION_OFFSET, correlationId);
		header.putLong(RECORD_POSITION_OFFSET, this.producerTail);
		header.putInt(RECORD_RESERVED_OFFSET, 0);
		header.putInt(RECORD_CHECKSUM_OFFSET, checksum(this.producerChecksum, header, payload, offset, payloadLength));
		this.data.put(index, header.array(), 0, RECORD_HEADER_LENGTH);
		if (payload != null) {
			this.data.put(index + RECORD_HEADER_LENGTH, payload, offset, payloadLength);
		}
	}

	/**
	 * CRC32C of a header's checksummed bytes, in one update, and the payload (padding has none).
	 */
	private static int checksum(CRC32C crc, ByteBuffer header, byte[] payload, int offset, int payloadLength) {
		crc.reset();
		crc.update(header.array(), 0, RECORD_CHECKSUMMED_HEADER_LENGTH);
		if (payload != null) {
			crc.update(payload, offset, payloadLength);
		}
		return (int) crc.getValue();
	}

	/**
	 * Sets the longest message the consumer accepts: a record or a sequence of fragments declaring
	 * more is refused as corrupt before anything is allocated for it.
	 * @param maxMessageLength the limit in bytes
	 */
	public void limitMessageLength(int maxMessageLength) {
		this.maxMessageLength = maxMessageLength;
	}

	/**
	 * Returns the longest message the consumer accepts ({@link #limitMessageLength}).
	 * @return the limit in bytes
	 */
	public int maxMessageLength() {
		return this.maxMessageLength;
	}

	private void awaitSpace(int required, long timeoutNanos) {
		long waitStart = System.nanoTime();
		if (this.writeStart == NOT_WAITED) {
			// All fragments of the message share the deadline from the first wait.
			this.writeStart = waitStart;
		}
		long start = this.writeStart;
		while (true) {
			checkOpen();
			this.headCache = checkedHead((long) LONGS.getAcquire(this.control, HEAD_OFFSET));
			if (this.producerTail + required - this.headCache <= this.capacity) {
				return;
			}
			long now = System.nanoTime();
			if (Thread.currentThread().isInterrupted()) {
				throw new ChannelInterruptedException("interrupted while waiting for room in the ring: file=" + this.where
						+ " waited=" + TimeUnit.NANOSECONDS.toMillis(now - start) + "ms");
			}
			long remaining = timeoutNanos - (now - start);
			if (remaining <= 0) {
				throw new ChannelFullException("ring full for " + TimeUnit.NANOSECONDS.toMillis(now - start)
						+ " ms: file=" + this.where + " capacity=" + this.capacity + " required=" + required
						+ " waiting=" + (this.producerTail - this.headCache)
						+ "; the other side is not reading (raise vmworkers.channel.send-timeout or read faster)");
			}
			if (now - waitStart < this.spinNanos) {
				pause(now - waitStart);
				continue;
			}
			int sequence = (int) INTS.getVolatile(this.control, SPACE_SEQUENCE_OFFSET);
			INTS.setVolatile(this.control, PRODUCER_WAITING_OFFSET, 1);
			// Checked by the next turn of the loop: a head ahead of the tail does not put it to sleep.
			long head = (long) LONGS.getVolatile(this.control, HEAD_OFFSET);
			if (this.producerTail + required - head > this.capacity) {
				Futex.await(this.controlAddress + SPACE_SEQUENCE_OFFSET, sequence,
						Math.min(INTERRUPT_CHECK_NANOS, remaining));
			}
			INTS.setVolatile(this.control, PRODUCER_WAITING_OFFSET, 0);
		}
	}

	/**
	 * Returns the consumer's head if a correct consumer could have published it: not ahead of the
	 * producer's tail (the producer would overwrite unread records) and not more than the capacity
	 * behind (it would wait for room that never comes).
	 */
	private long checkedHead(long head) {
		long waiting = this.producerTail - head;
		if (waiting < 0 || waiting > this.capacity) {
			throw new ChannelCorruptedException("corrupt ring head: file=" + this.where + " head=" + head + " tail="
					+ this.producerTail + " capacity=" + this.capacity);
		}
		return head;
	}

	/**
	 * Delivers the complete messages available now, reassembling fragments, then hands the space
	 * back to the producer. The handler's array is valid only during the call. A call reads at most
	 * up to the tail it sees when it starts, which is never more than the capacity ahead, so it
	 * always ends, whatever records (padding, fragments) are there.
	 * @param handler receives each message
	 * @param limit the most messages to deliver
	 * @return the number of messages delivered
	 * @throws ChannelCorruptedException when the tail or a record's header is impossible
	 */
	public int read(MessageHandler handler, int limit) {
		long head = this.consumerHead;
		long tail = (long) LONGS.getAcquire(this.control, TAIL_OFFSET);
		if (tail == head) {
			return 0;
		}
		// The head is this side's own and never negative, so the difference cannot overflow into range.
		long waiting = tail - head;
		if (waiting < 0 || waiting > this.capacity) {
			throw new ChannelCorruptedException("corrupt ring tail: file=" + this.where + " head=" + head + " tail="
					+ tail + " capacity=" + this.capacity);
		}
		int delivered = 0;
		ByteBuffer header = this.consumerHeader;
		try {
			while (head < tail && delivered < limit) {
				int index = (int) (head & this.mask);
				this.data.get(index, header.array(), 0, RECORD_HEADER_LENGTH);
				int length = header.getInt(RECORD_LENGTH_OFFSET);
				int type = header.getInt(RECORD_TYPE_OFFSET);
				long correlationId = header.getLong(RECORD_CORRELATION_OFFSET);
				long recordPosition = header.getLong(RECORD_POSITION_OFFSET);
				int recordLength = (length >= 0 && length <= this.capacity - index - RECORD_HEADER_LENGTH)
						? RingDescriptor.recordLength(length) : -1;
				if (recordLength < 0 || head + recordLength > tail || recordPosition != head
						|| (type & ~TYPE_BITS) != 0 || correlationId < 0
						|| header.getInt(RECORD_RESERVED_OFFSET) != 0) {
					throw new ChannelCorruptedException("corrupt record: file=" + this.where + " position=" + head
							+ " recordPosition=" + recordPosition + " length=" + length + " type=0x"
							+ Integer.toHexString(type) + " correlationId=" + correlationId + " tail=" + tail);
				}
				int checksum = header.getInt(RECORD_CHECKSUM_OFFSET);
				long position = head;
				head += recordLength;
				if ((type & TYPE_MASK) == PADDING_TYPE) {
					verify(checksum, type, null, 0, 0, position);
					continue;
				}
				if (deliver(handler, index + RECORD_HEADER_LENGTH, length, type, correlationId, checksum, position)) {
					delivered++;
				}
			}
		}
		finally {
			if (head != this.consumerHead) {
				release(head);
			}
		}
		return delivered;
	}

	private boolean deliver(MessageHandler handler, int offset, int length, int type, long correlationId,
			int checksum, long position) {
		boolean continuation = (type & FLAG_CONTINUATION) != 0;
		boolean more = (type & FLAG_MORE_FRAGMENTS) != 0;
		int frameType = type & TYPE_MASK;
		if (!continuation) {
			// A sequence that stopped short (its writer gave up between fragments) ends here, unread.
			this.assembling = false;
			this.assembled = 0;
		}
		else if (!this.assembling || frameType != this.assemblyType || correlationId != this.assemblyId) {
			throw new ChannelCorruptedException("fragment continues no message: file=" + this.where + " position="
					+ position + " type=0x" + Integer.toHexString(type) + " correlationId=" + correlationId
					+ " assembling=" + this.assembling);
		}
		if (!continuation && !more) {
			if (length > this.maxMessageLength) {
				throw tooLong(length, position);
			}
			if (this.scratch.length < length) {
				this.scratch = new byte[Math.max(length, this.scratch.length * 2)];
			}
			this.data.get(offset, this.scratch, 0, length);
			verify(checksum, type, this.scratch, 0, length, position);
			this.statistics.recordRead(length);
			handler.onMessage(frameType, correlationId, this.scratch, 0, length);
			return true;
		}
		if ((long) this.assembled + length > this.maxMessageLength) {
			throw tooLong((long) this.assembled + length, position);
		}
		if (this.assembly.length < this.assembled + length) {
			this.assembly = Arrays.copyOf(this.assembly,
					(int) Math.min(this.maxMessageLength, Math.max(this.assembled + length, 2L * this.assembly.length)));
		}
		this.data.get(offset, this.assembly, this.assembled, length);
		verify(checksum, type, this.assembly, this.assembled, length, position);
		this.assembled += length;
		if (more) {
			this.assembling = true;
			this.assemblyType = frameType;
			this.assemblyId = correlationId;
			return false;
		}
		int total = this.assembled;
		this.assembled = 0;
		this.assembling = false;
		this.statistics.recordRead(total);
		handler.onMessage(frameType, correlationId, this.assembly, 0, total);
		if (this.assembly.length > (1 << 20)) {
			// Do not keep a large message's buffer alive for the life of the channel.
			this.assembly = new byte[0];
		}
		return true;
	}

	/**
	 * Returns the bytes of the message being delivered as an array of exactly their length that
	 * the caller may keep: the ring's own buffer when it holds just this message (the ring takes a
	 * new buffer for the next one), otherwise a copy. Saves a copy of large byte arrays; call it
	 * only from {@link MessageHandler#onMessage} with the arguments it got.
	 * @param buffer the handler's buffer
	 * @param offset the handler's offset
	 * @param length the handler's length
	 * @return the message's bytes, owned by the caller
	 */
	public byte[] keep(byte[] buffer, int offset, int length) {
		if (offset == 0 && buffer.length == length && length > 0) {
			if (buffer == this.scratch) {
				this.scratch = new byte[0];
				return buffer;
			}
			if (buffer == this.assembly) {
				this.assembly = new byte[0];
				return buffer;
			}
		}
		return Arrays.copyOfRange(buffer, offset, offset + length);
	}

	/** Checks a record's checksum against the header in {@link #consumerHeader} and the payload. */
	private void verify(int expected, int type, byte[] payload, int offset, int payloadLength, long position) {
		int actual = checksum(this.consumerChecksum, this.consumerHeader, payload, offset, payloadLength);
		if (actual != expected) {
			throw new ChannelCorruptedException("checksum mismatch: file=" + this.where + " position=" + position
					+ " length=" + this.consumerHeader.getInt(RECORD_LENGTH_OFFSET) + " type=0x"
					+ Integer.toHexString(type) + " expected=0x" + Integer.toHexString(expected) + " actual=0x"
					+ Integer.toHexString(actual));
		}
	}

	private ChannelCorruptedException tooLong(long length, long position) {
		return new ChannelCorruptedException("message exceeds maxMessageLength=" + this.maxMessageLength + ", length="
				+ length + ": file=" + this.where + " position=" + position);
	}

	private void release(long head) {
		this.consumerHead = head;
		// Volatile for the same store-load reason as the tail: see publish.
		LONGS.setVolatile(this.control, HEAD_OFFSET, head);
		if ((int) INTS.getVolatile(this.control, PRODUCER_WAITING_OFFSET) != 0) {
			INTS.getAndAdd(this.control, SPACE_SEQUENCE_OFFSET, 1);
			Futex.wakeAll(this.controlAddress + SPACE_SEQUENCE_OFFSET);
		}
	}

	/**
	 * Returns whether a record is waiting for the consumer.
	 * @return true when the tail is ahead of the consumer's head
	 */
	public boolean hasData() {
		return (long) LONGS.getAcquire(this.control, TAIL_OFFSET) > this.consumerHead;
	}

	/**
	 * Returns whether {@link #read} has something to do: a record, or a tail that moved where no
	 * record can be, which the read reports.
	 */
	private boolean readable() {
		return (long) LONGS.getAcquire(this.control, TAIL_OFFSET) != this.consumerHead;
	}

	/**
	 * Waits until a record is waiting, the ring is closed, the timeout passes or the thread is
	 * interrupted (the flag stays set): spins for the configured spin time, then sleeps on the
	 * futex. Any thread of the consumer's process may wait, several at once, also while another
	 * thread reads. Also returns true at once when the tail is impossible (behind the head), so that
	 * the next {@link #read} reports the corruption instead of this wait spinning or sleeping on it.
	 * @param timeoutNanos the longest wait
	 * @return true when a record is waiting
	 */
	public boolean awaitData(long timeoutNanos) {
		return awaitData(timeoutNanos, this.spinNanos);
	}

	/**
	 * Waits as {@link #awaitData(long)} does, with another spin time for this wait.
	 * @param timeoutNanos the longest wait
	 * @param spinNanos how long to spin (pause, then yield) before sleeping
	 * @return true when a record is waiting
	 */
	public boolean awaitData(long timeoutNanos, long spinNanos) {
		return awaitData(timeoutNanos, spinNanos, false);
	}

	/**
	 * Waits as {@link #awaitData(long, long)} does, for the one thread that reads what arrives (one
	 * at a time: the announcement is a flag, not a count):
	 * while it spins, the producer leaves the ring's sleepers asleep, since this thread reads the
	 * records for them. That spares the producer a wake-up (a system call, and a scheduler wake-up
	 * for the sleeper) when, for example, a caller waits for its answer beside an idle receiving thread.
	 * The reader must call {@link #wakeSleepersIfUnread()} when it stops reading.
	 * @param timeoutNanos the longest wait
	 * @param spinNanos how long to spin (pause, then yield) before sleeping
	 * @return true when a record is waiting
	 */
	public boolean awaitDataToRead(long timeoutNanos, long spinNanos) {
		return awaitData(timeoutNanos, spinNanos, true);
	}

	/**
	 * Waits for a record by spinning only, never sleeping, so that the producer never has to wake
	 * this side: for a reader given a core of its own. Returns false when the timeout passes, the
	 * ring closes or the thread is interrupted (the flag stays set).
	 * @param timeoutNanos the longest wait
	 * @param yielding whether each turn yields the CPU to other threads ({@link Thread#yield()})
	 * instead of pausing ({@link Thread#onSpinWait()})
	 * @return true when a record is waiting
	 */
	public boolean spinForData(long timeoutNanos, boolean yielding) {
		long deadline = System.nanoTime() + timeoutNanos;
		int turns = 0;
		while (!readable()) {
			// The clock and the flags are read every few turns: a pause is far shorter than a look.
			if ((++turns & SPIN_CHECK_MASK) == 0 && (this.closed || Thread.currentThread().isInterrupted()
					|| System.nanoTime() - deadline >= 0)) {
				return false;
			}
			if (yielding) {
				Thread.yield();
			}
			else {
				Thread.onSpinWait();
			}
		}
		return true;
	}

	/**
	 * Wakes the ring's sleepers when records are waiting: called by the thread that stops reading
	 * after {@link #awaitDataToRead}, before another thread may read, so that a record published while it spun, whose producer
	 * therefore woke nobody, is not left for a sleeper's re-check.
	 */
	public void wakeSleepersIfUnread() {
		if (!this.announcedReading) {
			// No producer left a sleeper asleep on this reader's account: no fence on the hot path.
			return;
		}
		this.announcedReading = false;
		// Orders the reader's end of spinning before the look at the tail: a producer that saw it
		// still spinning published before, and its record is found here.
		VarHandle.fullFence();
		if (hasData() && (int) INTS.getVolatile(this.control, CONSUMER_WAITING_OFFSET) != 0) {
			INTS.getAndAdd(this.control, DATA_SEQUENCE_OFFSET, 1);
			Futex.wakeAll(this.controlAddress + DATA_SEQUENCE_OFFSET);
		}
	}

	private boolean awaitData(long timeoutNanos, long spinNanos, boolean reader) {
		if (readable()) {
			return true;
		}
		long start = System.nanoTime();
		long deadline = start + timeoutNanos;
		// Announced only when someone sleeps: otherwise the producer wakes nobody anyway.
		boolean reading = reader && (int) INTS.getVolatile(this.control, CONSUMER_WAITING_OFFSET) != 0;
		if (reading) {
			this.announcedReading = true;
			// Volatile: ordered before the tail loads of the spin (a store-load barrier).
			INTS.setVolatile(this.control, CONSUMER_READING_OFFSET, 1);
		}
		try {
			while (!this.closed) {
				long now = System.nanoTime();
				if (now - deadline >= 0 || Thread.currentThread().isInterrupted()) {
					return false;
				}
				if (now - start < spinNanos) {
					pause(now - start);
				}
				else {
					if (reading) {
						// About to sleep: the producer must wake this thread like any sleeper. A
						// record published before this is found by the re-check below.
						INTS.setVolatile(this.control, CONSUMER_READING_OFFSET, 0);
						reading = false;
					}
					int sequence = (int) INTS.getVolatile(this.control, DATA_SEQUENCE_OFFSET);
					// A count, not a flag: several threads of this process may sleep here at once.
					INTS.getAndAdd(this.control, CONSUMER_WAITING_OFFSET, 1);
					// Volatile re-check, ordered after the waiting flag's store: see publish.
					if ((long) LONGS.getVolatile(this.control, TAIL_OFFSET) == this.consumerHead) {
						Futex.await(this.controlAddress + DATA_SEQUENCE_OFFSET, sequence,
								Math.min(INTERRUPT_CHECK_NANOS, deadline - now));
					}
					INTS.getAndAdd(this.control, CONSUMER_WAITING_OFFSET, -1);
				}
				if (readable()) {
					return true;
				}
			}
			return false;
		}
		finally {
			if (reading) {
				// A release store, not a barrier: it completes while the reader reads, and
				// wakeSleepersIfUnread fences before it looks for records left behind.
				INTS.setRelease(this.control, CONSUMER_READING_OFFSET, 0);
			}
		}
	}

	/**
	 * One step of a waiter's spin: a CPU pause at first, then a yield. On two cores the other side
	 * often needs the very core a waiter spins on (with a JIT compiler thread or a build running,
	 * there are more runnable threads than cores): a yield hands it over at once, where a pure
	 * spin would hold it for the whole spin time.
	 */
	private static void pause(long spunNanos) {
		if (spunNanos < PURE_SPIN_NANOS) {
			Thread.onSpinWait();
		}
		else {
			Thread.yield();
		}
	}

	/**
	 * Marks this side closed and wakes any thread of this process sleeping on the ring.
	 */
	@Override
	public void close() {
		this.closed = true;
		INTS.getAndAdd(this.control, DATA_SEQUENCE_OFFSET, 1);
		INTS.getAndAdd(this.control, SPACE_SEQUENCE_OFFSET, 1);
		Futex.wakeAll(this.controlAddress + DATA_SEQUENCE_OFFSET);
		Futex.wakeAll(this.controlAddress + SPACE_SEQUENCE_OFFSET);
	}

	/**
	 * Returns whether this side was closed.
	 * @return true after {@link #close()}
	 */
	public boolean isClosed() {
		return this.closed;
	}

	private void checkOpen() {
		if (this.closed) {
			throw new ChannelClosedException("channel closed: file=" + this.where);
		}
	}

	/** Receives messages from {@link SharedRing#read}. */
	@FunctionalInterface
	public interface MessageHandler {

		/**
		 * Called for each complete message.
		 * @param type the frame type
		 * @param correlationId the frame's correlation id
		 * @param buffer holds the payload, valid only during the call
		 * @param offset where the payload starts
		 * @param length the payload's length
		 */
		void onMessage(int type, long correlationId, byte[] buffer, int offset, int length);

	}

}
