package io.vmworkers.protocol;

import java.util.concurrent.TimeUnit;

import io.vmworkers.channel.IdleStrategy;
import io.vmworkers.channel.SharedRing;

/**
 * How a side's background receiver waits for its next frame, by its {@link IdleStrategy}: spinning,
 * yielding or sleeping on the ring's futex, which the producer wakes when it writes.
 * <p>
 * {@link IdleStrategy#ADAPTIVE} spins for the ring's spin time after traffic, for the frames of a
 * burst, while at least {@value #SPIN_PAYS} of the last {@value #REMEMBERED} frames came soon enough
 * after the one before for such a spin to catch them. A caller that calls once a period, whose calls
 * the spin never catches and whose core it takes, soon stops it; a burst brings it back.
 */
final class ReceiverWait {

	/** Frames remembered: whether each came soon enough after the one before for a spin to catch it. */
	static final int REMEMBERED = 16;

	/** How many of them a spin must have caught for the next to be worth it. */
	static final int SPIN_PAYS = 4;

	/**
	 * How much later than the spin time a frame may be seen and still count as one a spin would
	 * have caught: a frame that woke this side is seen a wake-up after it came.
	 */
	private static final long WAKE_ALLOWANCE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

	private final SharedRing ring;

	private final IdleStrategy strategy;

	/** The receiving thread's own, as what follows. */
	private long lastHandled;

	/** One bit a frame, the latest lowest: set when a spin after traffic caught it or would have. */
	private int caughtFrames = (1 << REMEMBERED) - 1;

	ReceiverWait(SharedRing ring, IdleStrategy strategy) {
		this.ring = ring;
		this.strategy = strategy;
	}

	/**
	 * Waits for a frame, at most {@code timeoutNanos}.
	 * @param timeoutNanos the longest wait
	 * @param othersRead whether threads of this side wait and read for themselves: this one sleeps
	 * at once, not to take a core from them, and wakes for a frame nobody reads
	 * @param idle whether the last wait saw nothing: an adaptive wait does not spin then, as a spin
	 * helps only right after traffic
	 * @return true when a frame is waiting
	 */
	boolean await(long timeoutNanos, boolean othersRead, boolean idle) {
		if (othersRead) {
			return this.ring.awaitData(timeoutNanos, 0);
		}
		return switch (this.strategy) {
			case SPIN -> this.ring.spinForData(timeoutNanos, false);
			case YIELD -> this.ring.spinForData(timeoutNanos, true);
			case SLEEP -> this.ring.awaitData(timeoutNanos, 0);
			case ADAPTIVE -> adaptive(timeoutNanos, idle);
		};
	}

	/**
	 * Tells that the frames read were handled: the gap to the next frame counts from now.
	 */
	void handled() {
		this.lastHandled = System.nanoTime();
	}

	private boolean adaptive(long timeoutNanos, boolean idle) {
		long spinNanos = this.ring.spinNanos();
		boolean spin = !idle && Integer.bitCount(this.caughtFrames) >= SPIN_PAYS;
		boolean arrived = this.ring.awaitData(timeoutNanos, spin ? spinNanos : 0);
		if (arrived) {
			boolean caught = System.nanoTime() - this.lastHandled < spinNanos + WAKE_ALLOWANCE_NANOS;
			this.caughtFrames = ((this.caughtFrames << 1) | (caught ? 1 : 0)) & ((1 << REMEMBERED) - 1);
		}
		return arrived;
	}

}
