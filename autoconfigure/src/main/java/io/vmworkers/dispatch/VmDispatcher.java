package io.vmworkers.dispatch;

import java.util.Collection;

/**
 * The master's view of its workers: one {@link WorkerHandle} per {@code @WorkerTask} bean.
 */
public interface VmDispatcher {

	/**
	 * Returns every worker, in bean definition order.
	 * @return the workers
	 */
	Collection<? extends WorkerHandle> workers();

	/**
	 * Returns one worker.
	 * @param name the worker's (bean) name
	 * @return its handle
	 * @throws IllegalArgumentException when there is no such worker; the message lists the names
	 */
	WorkerHandle worker(String name);

}
