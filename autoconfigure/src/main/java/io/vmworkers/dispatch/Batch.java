package io.vmworkers.dispatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.springframework.util.Assert;

/**
 * Spreads a batch of calls over a worker's replicas with bounded concurrency: each item is passed
 * to a call (typically a method of the {@code @WorkerTask} bean), at most {@code concurrency} at a
 * time, and the results come back in the items' order. Each call goes to the least busy replica,
 * so with as many calls in flight as replicas every replica has one.
 * <pre>{@code
 * List<Long> counts = Batch.map(dispatcher.worker("primes"), ranges, (range) -> primes.count(range));
 * }</pre>
 */
public final class Batch {

	private Batch() {
	}

	/**
	 * Calls {@code call} for each item with as many calls in flight as the worker has replicas.
	 * @param <T> the item type
	 * @param <R> the result type
	 * @param worker the worker whose replicas serve the calls
	 * @param items the items
	 * @param call what to do with one item
	 * @return the results, in the items' order
	 * @throws RuntimeException the first call's failure, once the calls in flight have ended; the
	 * items not yet started are not called
	 */
	public static <T, R> List<R> map(WorkerHandle worker, Collection<? extends T> items,
			Function<? super T, ? extends R> call) {
		Assert.notNull(worker, "'worker' must not be null");
		int replicas = (int) worker.replicas().stream().filter((place) -> place.role() == ReplicaRole.REPLICA).count();
		return map(items, Math.max(1, replicas), call);
	}

	/**
	 * Calls {@code call} for each item, at most {@code concurrency} at a time, each on a thread of
	 * the batch's own.
	 * @param <T> the item type
	 * @param <R> the result type
	 * @param items the items
	 * @param concurrency the most calls in flight, at least 1
	 * @param call what to do with one item
	 * @return the results, in the items' order
	 * @throws RuntimeException the first call's failure, once the calls in flight have ended; the
	 * items not yet started are not called
	 */
	public static <T, R> List<R> map(Collection<? extends T> items, int concurrency,
			Function<? super T, ? extends R> call) {
		Assert.notNull(items, "'items' must not be null");
		Assert.notNull(call, "'call' must not be null");
		Assert.isTrue(concurrency >= 1, () -> "'concurrency' must be at least 1, not " + concurrency);
		List<T> work = new ArrayList<>(items);
		Object[] results = new Object[work.size()];
		AtomicInteger next = new AtomicInteger();
		AtomicReference<RuntimeException> failure = new AtomicReference<>();
		int threads = Math.min(concurrency, work.size());
		ExecutorService executor = Executors.newFixedThreadPool(Math.max(1, threads), (task) -> {
			Thread thread = new Thread(task, "vmworkers-batch");
			thread.setDaemon(true);
			return thread;
		});
		try {
			List<Future<?>> runners = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				runners.add(executor.submit(() -> {
					int index;
					while (failure.get() == null && (index = next.getAndIncrement()) < work.size()) {
						try {
							results[index] = call.apply(work.get(index));
						}
						catch (RuntimeException ex) {
							failure.compareAndSet(null, ex);
						}
					}
				}));
			}
			for (Future<?> runner : runners) {
				await(runner);
			}
		}
		finally {
			executor.shutdownNow();
		}
		if (failure.get() != null) {
			throw failure.get();
		}
		@SuppressWarnings("unchecked")
		List<R> list = (List<R>) Arrays.asList(results);
		return list;
	}

	private static void await(Future<?> runner) {
		try {
			runner.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while a batch ran", ex);
		}
		catch (ExecutionException ex) {
			// Calls' failures are kept by the runner; this is an Error, which is not to be hidden.
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw new IllegalStateException(ex.getCause());
		}
	}

}
