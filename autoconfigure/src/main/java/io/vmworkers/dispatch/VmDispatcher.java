package io.vmworkers.dispatch;

import java.net.InetSocketAddress;
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

	/**
	 * Returns where this master listens for its workers on the TCP transport
	 * ({@code vmworkers.transport.tcp.bind} and {@code .port}).
	 * @return the address, or null while no worker on TCP has been launched
	 */
	default InetSocketAddress tcpAddress() {
		return null;
	}

}
