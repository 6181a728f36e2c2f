package io.vmworkers.dispatch.master;

import java.time.Duration;
import java.util.Locale;

import io.vmworkers.channel.ChannelClosedException;
import io.vmworkers.channel.WorkerChannel;
import io.vmworkers.dispatch.WorkerState;

import org.springframework.util.Assert;

/**
 * The channel to one place of a pool: what is put goes to its process only, and {@code next()}
 * takes only what that place's processes put (and no {@code @OnData} method took). It shares the
 * pool's end, so an object is taken either here or through the pool's channel, never both.
 */
final class ReplicaChannel implements WorkerChannel {

	private static final Duration NEXT_SLICE = Duration.ofSeconds(1);

	private final WorkerPool pool;

	private final Replica replica;

	ReplicaChannel(WorkerPool pool, Replica replica) {
		this.pool = pool;
		this.replica = replica;
	}

	@Override
	public void put(Object object) {
		Assert.notNull(object, "'object' must not be null");
		this.pool.channelEnd().putThrough(this.replica.awaitServing().link(), object);
	}

	@Override
	public <T> T next() {
		while (true) {
			T value = next(NEXT_SLICE);
			if (value != null) {
				return value;
			}
		}
	}

	@Override
	public <T> T next(Duration timeout) {
		T value = this.pool.channelEnd().takeFrom(this.replica);
		if (value != null) {
			return value;
		}
		WorkerState state = this.replica.state();
		if (state == WorkerState.FAILED || state == WorkerState.STOPPED) {
			// Nothing more can come from this place, whatever its pool's other places do.
			throw new ChannelClosedException("channel to worker '" + this.pool.name() + "' replica "
					+ this.replica.index() + " is closed: the replica is " + state.name().toLowerCase(Locale.ROOT));
		}
		return this.pool.channelEnd().nextFrom(this.replica, timeout);
	}

	@Override
	public <T> T poll() {
		return this.pool.channelEnd().takeFrom(this.replica);
	}

	@Override
	public boolean atEnd() {
		return !this.pool.channelEnd().holdsFrom(this.replica);
	}

	@Override
	public boolean isOpen() {
		return this.replica.serving() != null;
	}

	/**
	 * Stops the whole worker, as the pool's channel does.
	 */
	@Override
	public void close() {
		this.pool.close();
	}

	@Override
	public String toString() {
		return "WorkerChannel[worker=" + this.pool.name() + ", replica=" + this.replica.index() + ", open=" + isOpen()
				+ "]";
	}

}
