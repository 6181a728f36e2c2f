package io.vmworkers.channel;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * The other process of {@link SharedRingInterProcessTests}: attaches to a request ring and a reply
 * ring created by the test, checks that requests arrive in sequence, echoes each one back, and on
 * {@link #STOP} replies with a {@link #SUMMARY} of what it received. Exits on its own when its
 * standard input reaches end of file, so that it never outlives the test JVM.
 * <p>
 * Arguments: request ring path, reply ring path, spin nanoseconds.
 */
public final class RingEchoProcess {

	static final int ECHO = 1;

	static final int STOP = 2;

	static final int SUMMARY = 3;

	/** Exit status when standard input closed before {@link #STOP}. */
	static final int ORPHANED = 3;

	private static final long SEND_TIMEOUT = TimeUnit.SECONDS.toNanos(30);

	private RingEchoProcess() {
	}

	public static void main(String[] args) throws Exception {
		Thread watchdog = new Thread(() -> {
			try {
				while (System.in.read() != -1) {
					// Nothing is sent on stdin: it only tells when the parent is gone.
				}
			}
			catch (Exception ex) {
				// Treat a broken stdin like end of file.
			}
			Runtime.getRuntime().halt(ORPHANED);
		}, "stdin-watchdog");
		watchdog.setDaemon(true);
		watchdog.start();

		long spinNanos = Long.parseLong(args[2]);
		SharedRing requests = SharedRing.attach(Path.of(args[0]), spinNanos);
		SharedRing replies = SharedRing.attach(Path.of(args[1]), spinNanos);
		CRC32 checksum = new CRC32();
		long[] counts = new long[2];
		boolean[] stopped = new boolean[1];
		SharedRing.MessageHandler echo = (type, correlationId, buffer, offset, length) -> {
			if (type == STOP) {
				stopped[0] = true;
				return;
			}
			if (type != ECHO || correlationId != counts[0]) {
				counts[1]++;
			}
			counts[0]++;
			updateChecksum(checksum, correlationId, buffer, offset, length);
			replies.write(type, correlationId, buffer, offset, length, SEND_TIMEOUT);
		};
		while (!stopped[0]) {
			if (requests.awaitData(TimeUnit.MILLISECONDS.toNanos(100))) {
				requests.read(echo, 1024);
			}
		}
		byte[] summary = ByteBuffer.allocate(24).putLong(counts[0]).putLong(counts[1]).putLong(checksum.getValue())
			.array();
		replies.write(SUMMARY, RingDescriptor.MAX_CORRELATION_ID, summary, 0, summary.length, SEND_TIMEOUT);
		System.exit(0);
	}

	static void updateChecksum(CRC32 checksum, long correlationId, byte[] buffer, int offset, int length) {
		for (int i = 0; i < 8; i++) {
			checksum.update((int) (correlationId >>> (8 * i)));
		}
		checksum.update(length);
		checksum.update(buffer, offset, length);
	}

}
