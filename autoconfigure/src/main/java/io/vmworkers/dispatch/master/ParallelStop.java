package io.vmworkers.dispatch.master;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Stops several things at once, each on a thread of its own, and returns when all are stopped: each
 * stop may take the whole shutdown timeout, and they must not add up.
 */
final class ParallelStop {

	private static final Log logger = LogFactory.getLog(ParallelStop.class);

	private ParallelStop() {
	}

	/**
	 * Stops each item on a thread of its own and waits for all; a stop that fails is logged.
	 * @param <T> the item type
	 * @param items what to stop
	 * @param threadName names each stop's thread
	 * @param stop stops one item
	 */
	static <T> void all(Collection<T> items, Function<T, String> threadName, Consumer<T> stop) {
		List<CompletableFuture<Void>> stops = new ArrayList<>();
		for (T item : items) {
			stops.add(CompletableFuture.runAsync(() -> stop.accept(item),
					(task) -> new Thread(task, threadName.apply(item)).start()));
		}
		for (CompletableFuture<Void> each : stops) {
			try {
				each.join();
			}
			catch (RuntimeException ex) {
				logger.error("Failed to stop a worker process", ex);
			}
		}
	}

}
