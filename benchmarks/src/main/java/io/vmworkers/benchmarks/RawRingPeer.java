package io.vmworkers.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.vmworkers.channel.SharedRing;

/**
 * The physical limit: two JVMs passing records through a pair of {@link SharedRing}s with no codec,
 * no dispatch and no thread but the measuring one on each side, both busy-spinning while measured.
 */
final class RawRingPeer implements AutoCloseable {

	/** Same as the channel's default, so that the streams compare like with like. */
	static final int CAPACITY = 512 * 1024;

	/** The master's waits spin this long before sleeping: far longer than any answer takes. */
	private static final long MASTER_SPIN = TimeUnit.SECONDS.toNanos(1);

	private static final long ANSWER_TIMEOUT = TimeUnit.SECONDS.toNanos(10);

	private final SharedRing requests;

	private final SharedRing replies;

	private final ChildJvm child;

	private final byte[] request = new byte[4];

	private final long[] answer = new long[2];

	private final SharedRing.MessageHandler answers = this::onAnswer;

	private RawRingPeer(SharedRing requests, SharedRing replies, ChildJvm child) {
		this.requests = requests;
		this.replies = replies;
		this.child = child;
	}

	/**
	 * Creates the two ring files and starts the echoing JVM.
	 * @param directory where the ring files go
	 * @return the peer
	 * @throws IOException when the files or the JVM cannot be created
	 */
	static RawRingPeer start(Path directory) throws IOException {
		String base = "vmworkers-bench-" + ProcessHandle.current().pid() + "-"
				+ HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
		Path requestFile = directory.resolve(base + ".req");
		Path replyFile = directory.resolve(base + ".rep");
		// Also removed when the suite is stopped with Ctrl-C, which skips the finally blocks.
		requestFile.toFile().deleteOnExit();
		replyFile.toFile().deleteOnExit();
		SharedRing requests = SharedRing.create(requestFile, CAPACITY, MASTER_SPIN);
		SharedRing replies = null;
		try {
			replies = SharedRing.create(replyFile, CAPACITY, MASTER_SPIN);
			return new RawRingPeer(requests, replies,
					ChildJvm.start(RingEcho.class, requestFile.toString(), replyFile.toString()));
		}
		catch (IOException | RuntimeException ex) {
			deleteRings(requests, replies);
			throw ex;
		}
	}

	/**
	 * Round trips with the echo busy-spinning, as fast as two processes can go.
	 * @return the batch
	 */
	RoundTrip roundTrip() {
		return new RoundTrip() {

			@Override
			public String name() {
				return "raw shared-memory ring";
			}

			@Override
			public long[] run(long nanos) throws Exception {
				send(RingEcho.HOT, 0);
				try {
					return RoundTrip.timeEach(RawRingPeer.this::echo, nanos);
				}
				finally {
					send(RingEcho.COLD, 0);
				}
			}

		};
	}

	long pid() {
		return this.child.pid();
	}

	/**
	 * One round trip; outside {@link #roundTrip()} the echo sleeps on its futex, so this measures
	 * a futex wake-up and the answer.
	 * @param value what to send
	 * @return the answer
	 */
	int echo(int value) {
		Bytes.putInt(this.request, 0, value);
		this.requests.write(RingEcho.ECHO, 0L, this.request, 0, 4, ANSWER_TIMEOUT);
		awaitAnswer();
		return (int) this.answer[0];
	}

	/**
	 * Streams messages of {@code payload} bytes one way for about {@code nanos}, then waits until
	 * the other side has read them all.
	 * @param payload bytes per message
	 * @param nanos how long to send
	 * @return what went through
	 */
	Throughput stream(int payload, long nanos) {
		byte[] message = new byte[payload];
		send(RingEcho.HOT, 0);
		try {
			long start = System.nanoTime();
			long end = start + nanos;
			long sent = 0;
			do {
				for (int i = 0; i < 256; i++) {
					this.requests.write(RingEcho.SINK, 0L, message, 0, payload, ANSWER_TIMEOUT);
					sent++;
				}
			}
			while (System.nanoTime() < end);
			send(RingEcho.SYNC, 0);
			awaitAnswer();
			long elapsed = System.nanoTime() - start;
			if (this.answer[0] != sent) {
				throw new IllegalStateException("raw ring lost messages: sent " + sent + ", read " + this.answer[0]);
			}
			return new Throughput(sent, this.answer[1], elapsed);
		}
		finally {
			send(RingEcho.COLD, 0);
		}
	}

	private void send(int type, int value) {
		Bytes.putInt(this.request, 0, value);
		this.requests.write(type, 0L, this.request, 0, 4, ANSWER_TIMEOUT);
	}

	private void awaitAnswer() {
		if (!this.replies.awaitData(ANSWER_TIMEOUT) || this.replies.read(this.answers, 1) != 1) {
			throw new IllegalStateException("the raw ring's echo did not answer");
		}
	}

	private void onAnswer(int type, long correlationId, byte[] buffer, int offset, int length) {
		if (type == RingEcho.ECHO) {
			this.answer[0] = Bytes.getInt(buffer, offset);
		}
		else {
			this.answer[0] = Bytes.getLong(buffer, offset);
			this.answer[1] = Bytes.getLong(buffer, offset + 8);
		}
	}

	@Override
	public void close() {
		this.child.close();
		deleteRings(this.requests, this.replies);
	}

	private static void deleteRings(SharedRing... rings) {
		for (SharedRing ring : rings) {
			if (ring != null) {
				ring.close();
				try {
					Files.deleteIfExists(ring.file());
				}
				catch (IOException ex) {
					System.err.println("could not delete " + ring.file() + ": " + ex.getMessage());
				}
			}
		}
	}

}
