package io.vmworkers.protocol;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import io.vmworkers.channel.IdleStrategy;
import io.vmworkers.channel.SharedRing;
import io.vmworkers.codec.ClassAllowList;
import io.vmworkers.codec.KryoCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How a receiving side waits, by its idle strategy, seen from the sender: how many of its frames
 * found the receiver asleep and woke it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdleStrategyTests {

	private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

	private static final long SHORT_GAP_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

	private final KryoCodec codec = new KryoCodec(new ClassAllowList(List.of()), getClass().getClassLoader(), 1 << 16);

	private final AtomicInteger received = new AtomicInteger();

	private SharedRing toReceiver;

	private Link receiver;

	@AfterEach
	void close() {
		if (this.receiver != null) {
			this.receiver.close();
		}
	}

	@Test
	void aSpinningReceiverIsNeverWoken() {
		start(IdleStrategy.SPIN);
		assertThat(sendPeriodically(30)).isZero();
	}

	@Test
	void aYieldingReceiverIsNeverWoken() {
		start(IdleStrategy.YIELD);
		assertThat(sendPeriodically(30)).isZero();
	}

	@Test
	void aSleepingReceiverIsWokenForNearlyEveryFrame() {
		start(IdleStrategy.SLEEP);
		assertThat(sendPeriodically(30)).isGreaterThanOrEqualTo(20);
		long woken = 0;
		for (int i = 0; i < 10; i++) {
			woken += burst();
		}
		assertThat(woken).isGreaterThanOrEqualTo(70);
	}

	@Test
	void anAdaptiveReceiverSpinsThroughABurstAndSleepsBetweenBursts() {
		start(IdleStrategy.ADAPTIVE);
		burst();
		long woken = 0;
		for (int i = 0; i < 10; i++) {
			woken += burst();
		}
		// One wake-up a burst; without the spin after traffic, nearly one a frame.
		assertThat(woken).isBetween(5L, 60L);
	}

	@Test
	void anAdaptiveReceiverStopsSpinningAfterTrafficForFramesThatComeLongAfterTheSpin() {
		start(IdleStrategy.ADAPTIVE);
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long receiver = this.receiver.receiverThread().getId();
		// Frames 2 ms apart: the 1 ms spin after each catches none of them.
		sendPeriodically(ReceiverWait.REMEMBERED + 4);
		long cpuBefore = threads.getThreadCpuTime(receiver);
		sendPeriodically(50);
		long cpu = threads.getThreadCpuTime(receiver) - cpuBefore;
		// Spinning 1 ms after each of 50 frames would take about 50 ms of CPU.
		assertThat(cpu).isLessThan(TimeUnit.MILLISECONDS.toNanos(15));
		// Bursts bring the spin back: once a frame comes soon after another, the rest of the burst
		// finds the receiver spinning (about 2 wake-ups a burst; 10 without the spin).
		long woken = 0;
		for (int i = 0; i < 3; i++) {
			woken += burst();
		}
		assertThat(woken).isLessThan(25);
	}

	/**
	 * Sends a frame after a pause, then nine more 150 us apart: longer than a wake-up, so that a
	 * receiver that sleeps between them is woken for each, well within the 1 ms spin.
	 */
	private long burst() {
		return send(1, () -> PERIOD_NANOS) + send(9, () -> TimeUnit.MICROSECONDS.toNanos(150));
	}

	private void start(IdleStrategy idle) {
		this.toReceiver = SharedRing.inMemory("idle-test-forward", 16 * 1024, TimeUnit.MILLISECONDS.toNanos(1));
		SharedRing back = SharedRing.inMemory("idle-test-back", 16 * 1024, 0);
		this.receiver = new Link("receiver", this.toReceiver.otherEnd(), back, this.codec, Duration.ofSeconds(5), idle,
				new Counter(this.received));
		this.receiver.start();
	}

	/** Sends frames once a period; returns the wake-ups they took once all are received. */
	private long sendPeriodically(int frames) {
		return send(frames, () -> PERIOD_NANOS);
	}

	private long send(int frames, LongSupplier gaps) {
		long wakeUps = this.toReceiver.statistics().wakeUps();
		int expected = this.received.get() + frames;
		long due = System.nanoTime();
		for (int i = 0; i < frames; i++) {
			due += gaps.getAsLong();
			long wait;
			while ((wait = due - System.nanoTime()) > 0) {
				if (wait < SHORT_GAP_NANOS) {
					// A sleep this short would overrun it many times: the few microseconds are waited out.
					Thread.onSpinWait();
				}
				else {
					LockSupport.parkNanos(wait);
				}
			}
			this.toReceiver.write(Frames.BYTES, 0, new byte[] { 1 }, 0, 1, TimeUnit.SECONDS.toNanos(5));
		}
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> this.received.get() == expected);
		return this.toReceiver.statistics().wakeUps() - wakeUps;
	}

	/** Counts what the receiver reads. */
	private record Counter(AtomicInteger count) implements Link.FrameHandler {

		@Override
		public void onFrame(int type, long correlationId, Object payload) {
			this.count.incrementAndGet();
		}

		@Override
		public void onData(Object payload, int length) {
			this.count.incrementAndGet();
		}

		@Override
		public void onUndecodable(int type, long correlationId, RuntimeException failure) {
		}

		@Override
		public void onFailed(RuntimeException failure) {
		}

	}

}
