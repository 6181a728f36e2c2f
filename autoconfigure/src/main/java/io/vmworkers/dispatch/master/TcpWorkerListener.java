package io.vmworkers.dispatch.master;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

import javax.net.ServerSocketFactory;

import io.vmworkers.channel.tcp.TcpListener;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Where the master listens for its workers on the TCP transport: opened at the first such launch
 * (a master without one listens nowhere), shared by the early launches and the dispatcher, closed
 * with the dispatcher.
 */
public final class TcpWorkerListener implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(TcpWorkerListener.class);

	/** How long a new connection may take to prove which launch it is. */
	private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

	private final InetAddress bind;

	private final int port;

	private final ServerSocketFactory sockets;

	private final String sslBundle;

	private TcpListener listener;

	private boolean closed;

	/**
	 * @param bind the address to listen on
	 * @param port the port, 0 for a free one
	 * @param sockets makes the server socket (plain, or TLS from {@code sslBundle})
	 * @param sslBundle the SSL bundle workers connect with, or null for plain TCP
	 */
	public TcpWorkerListener(InetAddress bind, int port, ServerSocketFactory sockets, String sslBundle) {
		this.bind = bind;
		this.port = port;
		this.sockets = sockets;
		this.sslBundle = sslBundle;
	}

	/**
	 * A listener on a free port of the loopback address.
	 * @return the listener, not yet listening
	 */
	public static TcpWorkerListener loopback() {
		return new TcpWorkerListener(InetAddress.getLoopbackAddress(), 0, ServerSocketFactory.getDefault(), null);
	}

	/**
	 * Returns the listener, listening from now on.
	 * @return the listener
	 * @throws IOException when the address cannot be bound
	 */
	synchronized TcpListener listener() throws IOException {
		if (this.closed) {
			throw new IOException("the master's listener for workers is closed: the master is stopping");
		}
		if (this.listener == null) {
			this.listener = TcpListener.listen(this.bind, this.port, this.sockets, HANDSHAKE_TIMEOUT);
			logger.info("Listening for workers on the TCP transport at " + dialAddress(this.listener.address())
					+ ((this.sslBundle != null) ? " with TLS (SSL bundle '" + this.sslBundle + "')" : ""));
		}
		return this.listener;
	}

	/**
	 * Returns the SSL bundle workers connect with.
	 * @return its name, or null for plain TCP
	 */
	public String sslBundle() {
		return this.sslBundle;
	}

	/**
	 * Returns the address workers reach this listener at.
	 * @return the address, or null before the first launch on TCP
	 */
	public synchronized InetSocketAddress address() {
		return (this.listener != null) ? this.listener.address() : null;
	}

	/**
	 * Returns what a worker on this machine dials: the bound address, or the loopback address when
	 * the listener is bound to all addresses.
	 * @param bound the bound address
	 * @return host and port, as {@code host:port} ({@code [v6]:port} for an IPv6 address)
	 */
	static String dialAddress(InetSocketAddress bound) {
		InetAddress address = bound.getAddress().isAnyLocalAddress() ? InetAddress.getLoopbackAddress()
				: bound.getAddress();
		String host = address.getHostAddress();
		return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + bound.getPort();
	}

	@Override
	public synchronized void close() {
		this.closed = true;
		if (this.listener != null) {
			this.listener.close();
		}
	}

}
