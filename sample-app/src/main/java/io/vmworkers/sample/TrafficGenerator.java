package io.vmworkers.sample;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps some traffic flowing once the application is ready, so that the dashboard shows movement:
 * ten times a second, a batch of round trips on the channel and one call with a 1 KB payload.
 * A modest, fixed rate ({@code sample.traffic.rounds-per-second}, 0 for none), sleeping between
 * batches. While the worker restarts or is stopped, it waits and tries again.
 */
@Component
class TrafficGenerator {

	private static final Log logger = LogFactory.getLog(TrafficGenerator.class);

	private static final int TICKS_PER_SECOND = 10;

	/** Above the numbers the counting task prints. */
	private static final int START = 1_000_000;

	private static final int[] PAYLOAD = IntStream.range(0, 256).toArray();

	private final CountingTask task;

	private final int roundsPerTick;

	private volatile Thread thread;

	TrafficGenerator(CountingTask task, @Value("${sample.traffic.rounds-per-second:200}") int roundsPerSecond) {
		this.task = task;
		this.roundsPerTick = Math.max(0, roundsPerSecond / TICKS_PER_SECOND);
	}

	@EventListener(ApplicationReadyEvent.class)
	void start() {
		if (this.roundsPerTick == 0) {
			return;
		}
		Thread traffic = new Thread(this::run, "sample-traffic");
		traffic.setDaemon(true);
		this.thread = traffic;
		traffic.start();
	}

	// Before the context stops its workers, so that no batch fails on a closing channel.
	@EventListener(ContextClosedEvent.class)
	void stop() throws InterruptedException {
		Thread traffic = this.thread;
		this.thread = null;
		if (traffic != null) {
			traffic.interrupt();
			traffic.join(TimeUnit.SECONDS.toMillis(5));
		}
	}

	private void run() {
		long tick = TimeUnit.SECONDS.toNanos(1) / TICKS_PER_SECOND;
		long next = System.nanoTime();
		while (this.thread == Thread.currentThread()) {
			try {
				this.task.exchange(START, this.roundsPerTick, Duration.ofSeconds(1));
				this.task.sum(PAYLOAD);
				next += tick;
				TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				// Restarting, stopped or failed: the dashboard shows it; try again in a second.
				logger.debug("Traffic paused: " + ex.getMessage());
				if (!pause()) {
					return;
				}
				next = System.nanoTime();
			}
		}
	}

	private boolean pause() {
		try {
			Thread.sleep(1000);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
