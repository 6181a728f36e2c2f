package io.vmworkers.channel;

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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Ring files under /dev/shm with a prefix unique to one test, so that a test finds (and deletes)
 * exactly what it created, plus helpers shared by the ring tests.
 */
final class RingTestSupport {

	static final Path SHM = Path.of("/dev/shm");

	private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class,
			ByteOrder.nativeOrder());

	private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class,
			ByteOrder.nativeOrder());

	private final String prefix = "vmworkers-test-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
			+ "-";

	private final List<SharedRing> rings = new ArrayList<>();

	String prefix() {
		return this.prefix;
	}

	/**
	 * Returns a path with this test's prefix; nothing is created.
	 * @param name the rest of the file name
	 * @return the path under /dev/shm
	 */
	Path path(String name) {
		return SHM.resolve(this.prefix + name);
	}

	SharedRing create(String name, int capacity, long spinNanos) throws IOException {
		return track(SharedRing.create(path(name), capacity, spinNanos));
	}

	SharedRing attach(String name, long spinNanos) throws IOException {
		return track(SharedRing.attach(path(name), spinNanos));
	}

	synchronized SharedRing track(SharedRing ring) {
		this.rings.add(ring);
		return ring;
	}

	/**
	 * Closes every ring this test mapped (waking any thread left waiting on one) and deletes every
	 * file with this test's prefix.
	 * @throws IOException when listing or deleting fails
	 */
	void closeAndDeleteAll() throws IOException {
		synchronized (this) {
			for (SharedRing ring : this.rings) {
				ring.close();
			}
			this.rings.clear();
		}
		for (Path file : remaining()) {
			Files.deleteIfExists(file);
		}
	}

	/**
	 * Returns the files under /dev/shm that carry this test's prefix.
	 * @return the files
	 * @throws IOException when /dev/shm cannot be listed
	 */
	List<Path> remaining() throws IOException {
		try (Stream<Path> files = Files.list(SHM)) {
			return files.filter((file) -> file.getFileName().toString().startsWith(this.prefix)).toList();
		}
	}

	/**
	 * Maps a ring file a third time, bypassing {@link SharedRing}, to look at or damage its words.
	 * @param file the ring file
	 * @return the whole file, in native byte order
	 * @throws IOException when the file cannot be mapped
	 */
	static MappedByteBuffer mapRaw(Path file) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			MappedByteBuffer mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
			mapping.order(ByteOrder.nativeOrder());
			return mapping;
		}
	}

	static int intVolatile(ByteBuffer mapping, int offset) {
		return (int) INTS.getVolatile(mapping, offset);
	}

	static long longVolatile(ByteBuffer mapping, int offset) {
		return (long) LONGS.getVolatile(mapping, offset);
	}

	/**
	 * Writes one int in native byte order at {@code position} of a file, through the file channel.
	 * @param file the file
	 * @param position where
	 * @param value what
	 * @throws IOException when the file cannot be written
	 */
	static void writeNativeInt(Path file, long position, int value) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
			ByteBuffer buffer = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, value);
			channel.write(buffer, position);
		}
	}

	/**
	 * Returns byte {@code index} of the payload identified by {@code key}: a cheap, well-mixed
	 * function, so that a byte out of place, a stale byte or a byte of another message shows.
	 * @param key identifies the message
	 * @param index the byte's index
	 * @return the byte
	 */
	static byte payloadByte(long key, int index) {
		long x = key * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L;
		x ^= x >>> 31;
		x *= 0x94D049BB133111EBL;
		return (byte) (x >>> 40);
	}

	static byte[] payload(long key, int length) {
		byte[] bytes = new byte[length];
		for (int i = 0; i < length; i++) {
			bytes[i] = payloadByte(key, i);
		}
		return bytes;
	}

	/**
	 * Returns the index of the first byte of {@code buffer[offset, offset + length)} that differs
	 * from {@link #payload(long, int)}, or -1 when all match.
	 */
	static int mismatch(long key, byte[] buffer, int offset, int length) {
		for (int i = 0; i < length; i++) {
			if (buffer[offset + i] != payloadByte(key, i)) {
				return i;
			}
		}
		return -1;
	}

	/** A message copied out of the handler's buffer. */
	record Message(int type, long correlationId, byte[] payload) {

		static Message copy(int type, long correlationId, byte[] buffer, int offset, int length) {
			byte[] payload = new byte[length];
			System.arraycopy(buffer, offset, payload, 0, length);
			return new Message(type, correlationId, payload);
		}

	}

	/**
	 * Reads everything available now.
	 * @param ring the consumer's side
	 * @return the messages delivered
	 */
	static List<Message> drain(SharedRing ring) {
		List<Message> messages = new ArrayList<>();
		ring.read((type, correlationId, buffer, offset, length) -> messages
			.add(Message.copy(type, correlationId, buffer, offset, length)), Integer.MAX_VALUE);
		return messages;
	}

	/**
	 * A consumer thread that copies every message into a queue until closed.
	 */
	static final class Reader implements AutoCloseable {

		final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();

		final AtomicReference<Throwable> failure = new AtomicReference<>();

		private final Thread thread;

		private volatile boolean stopped;

		Reader(SharedRing ring) {
			this.thread = new Thread(() -> {
				try {
					while (!this.stopped) {
						if (ring.awaitData(TimeUnit.MILLISECONDS.toNanos(50))) {
							ring.read((type, correlationId, buffer, offset, length) -> this.messages
								.add(Message.copy(type, correlationId, buffer, offset, length)), Integer.MAX_VALUE);
						}
					}
				}
				catch (Throwable ex) {
					this.failure.set(ex);
				}
			}, "ring-test-reader");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		Message next() throws InterruptedException {
			Message message = this.messages.poll(20, TimeUnit.SECONDS);
			if (message == null) {
				throw new AssertionError("no message within 20 s; reader failure: " + this.failure.get(),
						this.failure.get());
			}
			return message;
		}

		@Override
		public void close() throws InterruptedException {
			this.stopped = true;
			this.thread.join(10_000);
			if (this.failure.get() != null) {
				throw new AssertionError("reader failed", this.failure.get());
			}
		}

	}

}
