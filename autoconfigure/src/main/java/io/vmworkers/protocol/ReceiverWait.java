package io.vmworkers.protocol;

import io.vmworkers.channel.IdleStrategy;
import io.vmworkers.channel.SharedRing;

/**
 * How a side's background receiver waits for its next frame, by its {@link IdleStrategy}: spinning,
 * yielding or sleeping on the ring's futex, which the producer wakes when it writes.
 */
final class ReceiverWait {

	private final SharedRing ring;

	private final IdleStrategy strategy;

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
			case ADAPTIVE -> this.ring.awaitData(timeoutNanos, idle ? 0 : this.ring.spinNanos());
		};
	}

}
