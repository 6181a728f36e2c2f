package io.vmworkers.channel;

/**
 * How a worker's receiving thread waits for the next call or object, in the tradition of Agrona's
 * idle strategies: what a worker spends on waiting against how soon it answers. The waits that
 * sleep do it on the ring's futex, so that the master wakes the worker the moment it writes.
 */
public enum IdleStrategy {

	/**
	 * Spins for the channel's spin time after traffic ({@code channel.spin}, pausing, then
	 * yielding), then sleeps: the calls of a burst come at spin latency, a call after a pause pays
	 * a wake-up, and an idle worker costs next to nothing. While calls keep coming long after such
	 * a spin would have ended (a caller calling once a millisecond), it sleeps at once, as
	 * {@link #SLEEP} does, until calls come soon after one another again.
	 */
	ADAPTIVE,

	/**
	 * Busy-spins, never sleeps: the lowest latency for every call, a whole core at all times.
	 */
	SPIN,

	/**
	 * Spins yielding the CPU at each turn: nearly the latency of {@link #SPIN} while other threads
	 * get the core when they need it, still a whole core when nothing else runs.
	 */
	YIELD,

	/**
	 * Sleeps at once, never spins: no CPU while idle, a wake-up (tens to hundreds of microseconds)
	 * for each call that finds the worker asleep.
	 */
	SLEEP

}
