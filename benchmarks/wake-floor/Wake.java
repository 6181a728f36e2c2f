import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * The floor of a wake-up after silence between two processes, in Java: the same protocol and file
 * layout as wake.c (a futex word in a shared file through jnr-ffi, nothing else). See README.md
 * beside this file. Usage: java -cp 'LIB/*' Wake.java echo FILE | caller FILE TRIPS
 */
public class Wake {

	public interface LibC {

		long syscall(long number, long address, int operation, int value, Pointer timeout, long address2, int value3);

		int sched_getcpu();

	}

	private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

	private static final long SYS_FUTEX = 202;

	private static final int WAIT = 0;

	private static final int WAKE = 1;

	private static MappedByteBuffer map;

	private static LibC libc;

	private static long base;

	private static Pointer timeout;

	public static void main(String[] args) throws Exception {
		try (FileChannel file = FileChannel.open(Path.of(args[1]), StandardOpenOption.READ, StandardOpenOption.WRITE,
				StandardOpenOption.CREATE)) {
			map = file.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
		}
		libc = LibraryLoader.create(LibC.class).load("c");
		jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getRuntime(libc);
		base = Pointer.wrap(runtime, map).address();
		timeout = Memory.allocateDirect(runtime, 16);
		timeout.putLong(0, 0);
		timeout.putLong(8, 100_000_000L);
		if (args[0].equals("echo")) {
			echo();
		}
		else {
			caller(Integer.parseInt(args[2]));
		}
	}

	private static void echo() {
		int seen = (int) INTS.getVolatile(map, 0);
		while (true) {
			while ((int) INTS.getVolatile(map, 0) == seen) {
				libc.syscall(SYS_FUTEX, base, WAIT, seen, timeout, 0, 0);
			}
			seen = (int) INTS.getVolatile(map, 0);
			INTS.setVolatile(map, 128, libc.sched_getcpu());
			INTS.getAndAdd(map, 64, 1);
			libc.syscall(SYS_FUTEX, base + 64, WAKE, 1, null, 0, 0);
		}
	}

	private static long trip(int mode) {
		int before = (int) INTS.getVolatile(map, 64);
		long start = System.nanoTime();
		INTS.getAndAdd(map, 0, 1);
		libc.syscall(SYS_FUTEX, base, WAKE, 1, null, 0, 0);
		while ((int) INTS.getVolatile(map, 64) == before) {
			if (mode == 0) {
				Thread.onSpinWait();
			}
			else if (mode == 1) {
				Thread.yield();
			}
			else {
				libc.syscall(SYS_FUTEX, base + 64, WAIT, before, timeout, 0, 0);
			}
		}
		return System.nanoTime() - start;
	}

	private static void caller(int trips) throws InterruptedException {
		// Warm-up: every method on the path JIT-compiled, as in a long-running application.
		for (int i = 0; i < 20_000; i++) {
			trip(i % 3);
		}
		String[] modes = { "spin (pause)", "spin (yield)", "sleep (futex)" };
		for (int mode = 0; mode < 3; mode++) {
			long[] times = new long[trips];
			int same = 0;
			for (int i = 0; i < trips; i++) {
				Thread.sleep(10);
				int mine = libc.sched_getcpu();
				times[i] = trip(mode);
				same += ((int) INTS.getVolatile(map, 128) == mine) ? 1 : 0;
			}
			Arrays.sort(times);
			System.out.printf("Java caller, waiting by %-13s median %6.1f us  p90 %6.1f us  echo on the caller's CPU %3d %%%n",
					modes[mode], times[trips / 2] / 1e3, times[trips * 9 / 10] / 1e3, 100 * same / trips);
		}
	}

}
