package io.vmworkers.soak;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The periods in which a worker was being killed or restarted on request: from the SIGKILL (or the
 * call of {@code restart()}) until the master had seen the process go. A call or put that fails and
 * overlaps one of its worker's periods was in flight at a kill: an expected failure.
 */
final class Disruptions {

	private final Map<String, List<Window>> byWorker = new ConcurrentHashMap<>();

	Window open(String worker) {
		Window window = new Window(System.nanoTime());
		this.byWorker.computeIfAbsent(worker, (name) -> new CopyOnWriteArrayList<>()).add(window);
		return window;
	}

	boolean overlaps(String worker, long startNanos, long endNanos) {
		return this.byWorker.getOrDefault(worker, List.of())
			.stream()
			.anyMatch((window) -> startNanos <= window.end && endNanos >= window.start);
	}

	static final class Window {

		private final long start;

		private volatile long end = Long.MAX_VALUE;

		private Window(long start) {
			this.start = start;
		}

		void close() {
			this.end = System.nanoTime();
		}

	}

}
