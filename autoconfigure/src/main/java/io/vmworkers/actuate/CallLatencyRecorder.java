package io.vmworkers.actuate;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

import io.vmworkers.dispatch.WorkerObserver;

/**
 * Keeps the latency of each worker's most recent calls, for the percentiles the endpoint shows.
 * Recording a call costs two array stores and one atomic increment, with no allocation and no
 * lock; percentiles are computed only when asked for.
 */
public class CallLatencyRecorder implements WorkerObserver {

	/** Calls kept per worker: percentiles are of at most this many of the latest calls. */
	public static final int CAPACITY = 1024;

	private final Map<String, Window> windows = new ConcurrentHashMap<>();

	private final LongSupplier nanoTime;

	/**
	 * Creates a recorder.
	 */
	public CallLatencyRecorder() {
		this(System::nanoTime);
	}

	CallLatencyRecorder(LongSupplier nanoTime) {
		this.nanoTime = nanoTime;
	}

	@Override
	public void callCompleted(String worker, String method, long nanos, boolean failed) {
		Window window = this.windows.get(worker);
		if (window == null) {
			window = this.windows.computeIfAbsent(worker, (name) -> new Window());
		}
		window.record(this.nanoTime.getAsLong(), nanos);
	}

	/**
	 * Returns the latency of a worker's calls that ended within a window of time.
	 * @param worker the worker's name
	 * @param window how far back to look
	 * @return the summary; its count is 0 when no call ended in the window
	 */
	public LatencySummary summary(String worker, Duration window) {
		Window calls = this.windows.get(worker);
		if (calls == null) {
			return LatencySummary.NONE;
		}
		return calls.summary(this.nanoTime.getAsLong() - window.toNanos());
	}

	/**
	 * Forgets workers that are no longer there.
	 * @param workers the names of the workers there are
	 */
	public void retain(Collection<String> workers) {
		this.windows.keySet().retainAll(workers);
	}

	/**
	 * Latency percentiles of recent calls.
	 * @param count how many calls they are computed from
	 * @param p50Nanos the median, or -1 without calls
	 * @param p99Nanos the 99th percentile, or -1 without calls
	 */
	public record LatencySummary(int count, long p50Nanos, long p99Nanos) {

		static final LatencySummary NONE = new LatencySummary(0, -1, -1);

	}

	/**
	 * A ring of (end time, latency) pairs. A reader racing a writer may see a pair torn, which
	 * only blurs a percentile.
	 */
	private static final class Window {

		private final AtomicLongArray endedAt = new AtomicLongArray(CAPACITY);

		private final AtomicLongArray latencies = new AtomicLongArray(CAPACITY);

		private final AtomicLong next = new AtomicLong();

		void record(long now, long nanos) {
			int slot = (int) (this.next.getAndIncrement() & (CAPACITY - 1));
			this.latencies.lazySet(slot, nanos);
			this.endedAt.set(slot, now);
		}

		LatencySummary summary(long since) {
			long written = Math.min(this.next.get(), CAPACITY);
			long[] values = new long[(int) written];
			int count = 0;
			for (int slot = 0; slot < written; slot++) {
				if (this.endedAt.get(slot) - since >= 0) {
					values[count++] = this.latencies.get(slot);
				}
			}
			if (count == 0) {
				return LatencySummary.NONE;
			}
			Arrays.sort(values, 0, count);
			return new LatencySummary(count, percentile(values, count, 0.50), percentile(values, count, 0.99));
		}

		/** Nearest-rank percentile. */
		private static long percentile(long[] sorted, int count, double quantile) {
			int rank = (int) Math.ceil(quantile * count);
			return sorted[Math.max(0, Math.min(count, rank) - 1)];
		}

	}

}
