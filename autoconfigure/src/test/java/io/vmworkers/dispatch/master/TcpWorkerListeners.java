package io.vmworkers.dispatch.master;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Opens a {@link TcpWorkerListener} from a test outside its package, as the first launch on TCP
 * does.
 */
public final class TcpWorkerListeners {

	private TcpWorkerListeners() {
	}

	/**
	 * Makes the listener listen.
	 * @param listener the listener
	 * @return the address it listens on
	 * @throws IOException when it cannot
	 */
	public static InetSocketAddress listen(TcpWorkerListener listener) throws IOException {
		return listener.listener().address();
	}

}
