package io.vmworkers.channel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ring between two JVMs: this one and a {@link RingEchoProcess}. Checks that what one process
 * publishes with a release store the other sees whole after its acquire load.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedRingInterProcessTests {

	private static final int MESSAGES = 200_000;

	private static final int CAPACITY = 64 * 1024;

	private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

	private static final long SEND_TIMEOUT = TimeUnit.SECONDS.toNanos(20);

	private final RingTestSupport files = new RingTestSupport();

	private Process child;

	private final StringBuffer childOutput = new StringBuffer();

	@AfterEach
	void stopChildAndDeleteRingFiles() throws Exception {
		try {
			if (this.child != null) {
				destroy(this.child);
				assertThat(this.child.isAlive()).isFalse();
			}
		}
		finally {
			this.files.closeAndDeleteAll();
		}
		assertThat(this.files.remaining()).isEmpty();
	}

	/** Mostly 0 to 256 bytes; every 10,000th message spans several fragments. */
	static int length(long sequence) {
		if (sequence % 10_000 == 9_999) {
			return 100_000 + (int) (sequence % 1_000);
		}
		return (int) ((sequence * 13) % 257);
	}

	@Test
	void everyMessageMakesTheRoundTripThroughAnotherJvmOnceInOrderAndIntact() throws Exception {
		SharedRing requests = this.files.create("requests", CAPACITY, SPIN_NANOS);
		SharedRing replies = this.files.create("replies", CAPACITY, SPIN_NANOS);
		this.child = startChild(requests, replies);
		try {
			AtomicReference<Throwable> failure = new AtomicReference<>();
			AtomicLong echoed = new AtomicLong();
			AtomicReference<ByteBuffer> summary = new AtomicReference<>();
			SharedRing.MessageHandler check = (type, correlationId, buffer, offset, length) -> {
				if (type == RingEchoProcess.SUMMARY) {
					summary.set(ByteBuffer.wrap(Arrays.copyOfRange(buffer, offset, offset + length)));
					return;
				}
				long expected = echoed.get();
				String problem = null;
				if (type != RingEchoProcess.ECHO || correlationId != expected) {
					problem = "expected echo of " + expected;
				}
				else if (length != length(expected)) {
					problem = "expected length " + length(expected);
				}
				else if (RingTestSupport.mismatch(expected, buffer, offset, length) >= 0) {
					problem = "wrong byte at " + RingTestSupport.mismatch(expected, buffer, offset, length);
				}
				if (problem != null) {
					failure.compareAndSet(null, new AssertionError(
							problem + ": type=" + type + " correlationId=" + correlationId + " length=" + length));
					return;
				}
				echoed.incrementAndGet();
			};
			Thread reader = new Thread(() -> {
				try {
					while (summary.get() == null && failure.get() == null) {
						if (replies.awaitData(TimeUnit.MILLISECONDS.toNanos(100))) {
							replies.read(check, 1024);
						}
						else if (!this.child.isAlive()) {
							failure.compareAndSet(null, new AssertionError("child exited: " + this.child.exitValue()));
						}
					}
				}
				catch (Throwable ex) {
					failure.compareAndSet(null, ex);
				}
			}, "ring-test-reply-reader");
			reader.setDaemon(true);
			reader.start();

			CRC32 checksum = new CRC32();
			for (long sequence = 0; sequence < MESSAGES && failure.get() == null; sequence++) {
				byte[] payload = RingTestSupport.payload(sequence, length(sequence));
				RingEchoProcess.updateChecksum(checksum, sequence, payload, 0, payload.length);
				try {
					requests.write(RingEchoProcess.ECHO, sequence, payload, 0, payload.length, SEND_TIMEOUT);
				}
				catch (ChannelFullException ex) {
					throw new AssertionError(
							"child stopped reading at " + sequence + "; its output:\n" + this.childOutput, ex);
				}
			}
			requests.write(RingEchoProcess.STOP, RingDescriptor.MAX_CORRELATION_ID, new byte[0], 0, 0, SEND_TIMEOUT);
			reader.join(TimeUnit.SECONDS.toMillis(30));
			if (failure.get() != null) {
				throw new AssertionError("round trip failed after " + echoed.get() + " echoes; child output:\n"
						+ this.childOutput, failure.get());
			}
			assertThat(summary.get()).as("summary; child output:\n%s", this.childOutput).isNotNull();
			assertThat(echoed.get()).isEqualTo(MESSAGES);
			ByteBuffer received = summary.get();
			assertThat(received.getLong(0)).as("messages the child received").isEqualTo(MESSAGES);
			assertThat(received.getLong(8)).as("messages out of sequence in the child").isZero();
			assertThat(received.getLong(16)).as("checksum of what the child received").isEqualTo(checksum.getValue());
			assertThat(this.child.waitFor(10, TimeUnit.SECONDS)).isTrue();
			assertThat(this.child.exitValue()).as("child output:\n%s", this.childOutput).isZero();
			assertThat(replies.hasData()).isFalse();
			assertThat(requests.bytesWaiting()).isZero();
		}
		finally {
			destroy(this.child);
		}
	}

	@Test
	void childExitsOnItsOwnWhenItsStandardInputCloses() throws Exception {
		SharedRing requests = this.files.create("requests", 4096, SPIN_NANOS);
		SharedRing replies = this.files.create("replies", 4096, SPIN_NANOS);
		this.child = startChild(requests, replies);
		try {
			// Once it echoes, the child has attached and is running its loop.
			requests.write(RingEchoProcess.ECHO, 0L, new byte[1], 0, 1, SEND_TIMEOUT);
			assertThat(replies.awaitData(TimeUnit.SECONDS.toNanos(20))).as("child output:\n%s", this.childOutput)
				.isTrue();
			this.child.getOutputStream().close();
			assertThat(this.child.waitFor(20, TimeUnit.SECONDS)).isTrue();
			assertThat(this.child.exitValue()).isEqualTo(RingEchoProcess.ORPHANED);
		}
		finally {
			destroy(this.child);
		}
	}

	private Process startChild(SharedRing requests, SharedRing replies) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(List.of(System.getProperty("java.home") + "/bin/java", "-cp",
				System.getProperty("java.class.path"), "-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
				"-Xshare:auto", RingEchoProcess.class.getName(), requests.file().toString(), replies.file().toString(),
				Long.toString(SPIN_NANOS)));
		builder.redirectErrorStream(true);
		Process process = builder.start();
		Thread gobbler = new Thread(() -> {
			byte[] buffer = new byte[4096];
			try (InputStream output = process.getInputStream()) {
				int read;
				while ((read = output.read(buffer)) != -1) {
					if (this.childOutput.length() < 64 * 1024) {
						this.childOutput.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
					}
				}
			}
			catch (IOException ex) {
				// The child is gone.
			}
		}, "ring-test-child-output");
		gobbler.setDaemon(true);
		gobbler.start();
		return process;
	}

	private static void destroy(Process process) throws InterruptedException {
		try {
			process.getOutputStream().close();
		}
		catch (IOException ex) {
			// Already closed.
		}
		if (!process.waitFor(5, TimeUnit.SECONDS)) {
			process.destroy();
			if (!process.waitFor(5, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				process.waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

}
