package io.vmworkers.benchmarks;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.vmworkers.channel.SharedRing;

/**
 * The child end of the raw-ring reference ({@link RawRingPeer}): answers, counts and switches
 * between busy-spinning and sleeping as the master asks. Arguments: request ring, reply ring.
 * <p>
 * It busy-spins only between {@link #HOT} and {@link #COLD}, so that it takes no core from the
 * other cases while the suite measures them; the rings are attached with no spin, so a cold wait
 * goes straight to the futex.
 */
final class RingEcho {

	/** Payload: an int n; answer: n + 1. */
	static final int ECHO = 1;

	/** Start busy-spinning on the request ring. */
	static final int HOT = 2;

	/** Stop busy-spinning: sleep on the futex between messages. */
	static final int COLD = 3;

	/** Count the message and its bytes, no answer. */
	static final int SINK = 4;

	/** Answer with the number of SINK messages and bytes since the last SYNC. */
	static final int SYNC = 5;

	static final long SEND_TIMEOUT = TimeUnit.SECONDS.toNanos(10);

	private final SharedRing requests;

	private final SharedRing replies;

	private final byte[] answer = new byte[16];

	private boolean hot;

	private long sunk;

	private long sunkBytes;

	private RingEcho(SharedRing requests, SharedRing replies) {
		this.requests = requests;
		this.replies = replies;
	}

	public static void main(String[] args) throws Exception {
		ChildJvm.exitWithParent();
		RingEcho echo = new RingEcho(SharedRing.attach(Path.of(args[0]), 0), SharedRing.attach(Path.of(args[1]), 0));
		echo.serve();
	}

	private void serve() {
		SharedRing.MessageHandler handler = this::onMessage;
		long coldWait = TimeUnit.MILLISECONDS.toNanos(100);
		while (true) {
			if (this.hot) {
				if (this.requests.hasData()) {
					this.requests.read(handler, 1024);
				}
				else {
					Thread.onSpinWait();
				}
			}
			else if (this.requests.awaitData(coldWait)) {
				this.requests.read(handler, 1024);
			}
		}
	}

	private void onMessage(int type, long correlationId, byte[] buffer, int offset, int length) {
		switch (type) {
			case ECHO -> {
				Bytes.putInt(this.answer, 0, Bytes.getInt(buffer, offset) + 1);
				this.replies.write(ECHO, correlationId, this.answer, 0, 4, SEND_TIMEOUT);
			}
			case HOT -> this.hot = true;
			case COLD -> this.hot = false;
			case SINK -> {
				this.sunk++;
				this.sunkBytes += length;
			}
			case SYNC -> {
				Bytes.putLong(this.answer, 0, this.sunk);
				Bytes.putLong(this.answer, 8, this.sunkBytes);
				this.sunk = 0;
				this.sunkBytes = 0;
				this.replies.write(SYNC, correlationId, this.answer, 0, 16, SEND_TIMEOUT);
			}
			default -> throw new IllegalStateException("unknown message type " + type);
		}
	}

}
