package io.vmworkers.channel;

import java.nio.ByteBuffer;
import java.util.Locale;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Linux futex wait and wake on a word of a shared mapping, through jnr-ffi.
 * <p>
 * The futex is what lets a reader sleep at no CPU cost and still be woken within microseconds by
 * the other process: the kernel keys a shared (non-private) futex on the physical page, so both
 * processes' mappings of the ring file reach the same wait queue.
 */
final class Futex {

	private static final int FUTEX_WAIT = 0;

	private static final int FUTEX_WAKE = 1;

	private Futex() {
	}

	/**
	 * Returns the native address of a direct buffer's first byte.
	 * @param buffer a direct buffer, for example a mapping
	 * @return its address
	 */
	static long address(ByteBuffer buffer) {
		return Pointer.wrap(Binding.RUNTIME, buffer).address();
	}

	/**
	 * Sleeps while the int at {@code address} equals {@code expected}, at most {@code timeoutNanos}.
	 * Returns early on a wake, a signal, or when the word already differs.
	 * @param address the futex word's address (4-byte aligned)
	 * @param expected the value seen before deciding to sleep
	 * @param timeoutNanos the longest sleep
	 */
	static void await(long address, int expected, long timeoutNanos) {
		Pointer timespec = Binding.TIMESPEC.get();
		timespec.putLong(0, timeoutNanos / 1_000_000_000L);
		timespec.putLong(8, timeoutNanos % 1_000_000_000L);
		Binding.LIBC.syscall(Binding.SYS_FUTEX, address, FUTEX_WAIT, expected, timespec, 0L, 0);
	}

	/**
	 * Wakes every thread, in any process, sleeping on the word at {@code address}.
	 * @param address the futex word's address
	 */
	static void wakeAll(long address) {
		Binding.LIBC.syscall(Binding.SYS_FUTEX, address, FUTEX_WAKE, Integer.MAX_VALUE, null, 0L, 0);
	}

	/**
	 * Returns whether this platform has the futex call rings use, without loading the binding: a
	 * binding that failed to load once would hide its reason behind a NoClassDefFoundError.
	 * @return true on Linux on amd64 or aarch64
	 */
	static boolean platformSupported() {
		String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
		String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
		return os.contains("linux") && switch (arch) {
			case "amd64", "x86_64", "aarch64", "arm64" -> true;
			default -> false;
		};
	}

	private static long syscallNumber() {
		String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
		String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
		if (!os.contains("linux")) {
			throw new UnsupportedOperationException("vmworkers channels need Linux futexes; os.name=" + os);
		}
		return switch (arch) {
			case "amd64", "x86_64" -> 202;
			case "aarch64", "arm64" -> 98;
			default -> throw new UnsupportedOperationException(
					"vmworkers channels support amd64 and aarch64 Linux; os.arch=" + arch);
		};
	}

	/**
	 * The native binding, in a class of its own: jnr-ffi generates it when it loads, which is slow and
	 * {@link #platformSupported()} must not start.
	 */
	private static final class Binding {

		static final long SYS_FUTEX = syscallNumber();

		static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");

		static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

		/** One struct timespec per thread, so that waiting allocates nothing. */
		static final ThreadLocal<Pointer> TIMESPEC = ThreadLocal.withInitial(() -> Memory.allocateDirect(RUNTIME, 16));

		private Binding() {
		}

	}

	/** The libc entry point used; syscall(2) is variadic but passes integer arguments in registers. */
	public interface LibC {

		long syscall(long number, long address, int operation, int value, Pointer timeout, long address2,
				int value3);

	}

}
