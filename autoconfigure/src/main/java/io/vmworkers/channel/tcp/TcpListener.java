package io.vmworkers.channel.tcp;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ServerSocketFactory;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The master's listening socket for workers on the TCP transport. Each launch is
 * {@linkplain #expect expected} with its secret before its worker starts; a connection that proves
 * a launch expected ({@link Handshake}) becomes that launch's {@link TcpChannel}, and the launch is
 * expected no more, so that no second connection can take over its identity. A connection that
 * fails the handshake is closed and logged, and changes nothing.
 */
public final class TcpListener implements Closeable {

	private static final Log logger = LogFactory.getLog(TcpListener.class);

	private final ServerSocket server;

	private final Duration handshakeTimeout;

	private final Map<String, Expected> expected = new ConcurrentHashMap<>();

	private final Thread acceptor;

	private volatile boolean closed;

	private TcpListener(ServerSocket server, Duration handshakeTimeout) {
		this.server = server;
		this.handshakeTimeout = handshakeTimeout;
		this.acceptor = new Thread(this::accept, "vmworkers-tcp-listener");
		this.acceptor.setDaemon(true);
	}

	/**
	 * Listens and starts accepting.
	 * @param bind the address to listen on
	 * @param port the port, 0 for a free one
	 * @param sockets makes the server socket (plain, or TLS)
	 * @param handshakeTimeout how long a new connection may take to prove its launch
	 * @return the listener
	 * @throws IOException when the address cannot be bound
	 */
	public static TcpListener listen(InetAddress bind, int port, ServerSocketFactory sockets, Duration handshakeTimeout)
			throws IOException {
		ServerSocket server = sockets.createServerSocket();
		try {
			server.bind(new InetSocketAddress(bind, port));
		}
		catch (IOException ex) {
			server.close();
			throw new IOException("could not listen for workers on " + bind.getHostAddress() + ":" + port + ": "
					+ ex.getMessage() + " (vmworkers.transport.tcp.bind, vmworkers.transport.tcp.port)", ex);
		}
		TcpListener listener = new TcpListener(server, handshakeTimeout);
		listener.acceptor.start();
		return listener;
	}

	/**
	 * Returns the address this listener is bound to.
	 * @return the address, with the port chosen
	 */
	public InetSocketAddress address() {
		return (InetSocketAddress) this.server.getLocalSocketAddress();
	}

	/**
	 * Expects a worker's connection for a launch.
	 * @param launchId the launch's id, told to the worker
	 * @param secret the launch's secret, told to the worker only
	 * @param channel the master's side, which gets the connection
	 */
	public void expect(String launchId, String secret, TcpChannel channel) {
		this.expected.put(launchId, new Expected(secret.getBytes(StandardCharsets.UTF_8), channel));
		// A launch whose channel closes unconnected (its process died first) is expected no more.
		channel.whenClosed(() -> forget(launchId));
	}

	/**
	 * Expects a launch no more, as when its process is discarded.
	 * @param launchId the launch's id
	 */
	public void forget(String launchId) {
		this.expected.remove(launchId);
	}

	private void accept() {
		while (!this.closed) {
			Socket socket;
			try {
				socket = this.server.accept();
			}
			catch (IOException ex) {
				if (!this.closed) {
					logger.error("The listener for workers on " + address() + " stopped", ex);
				}
				return;
			}
			// A thread per handshake: a connection that stalls holds up no other.
			Thread handshake = new Thread(() -> admit(socket), "vmworkers-tcp-handshake");
			handshake.setDaemon(true);
			handshake.start();
		}
	}

	private void admit(Socket socket) {
		try {
			socket.setSoTimeout((int) this.handshakeTimeout.toMillis());
			String launchId = Handshake.verify(socket, (id) -> {
				Expected launch = this.expected.get(id);
				return (launch != null) ? launch.secret() : null;
			});
			Expected launch = this.expected.remove(launchId);
			if (launch == null) {
				throw new IOException("launch '" + launchId + "' was connected by another connection meanwhile");
			}
			Handshake.accept(socket);
			socket.setSoTimeout(0);
			launch.channel().connect(socket);
		}
		catch (IOException | RuntimeException ex) {
			if (!this.closed) {
				logger.warn("Refused a connection from " + socket.getRemoteSocketAddress() + " to the workers' listener: "
						+ ((ex instanceof SocketException || ex.getMessage() == null) ? ex.toString() : ex.getMessage()));
			}
			try {
				socket.close();
			}
			catch (IOException closing) {
				// Refused either way.
			}
		}
	}

	@Override
	public void close() {
		this.closed = true;
		try {
			this.server.close();
		}
		catch (IOException ex) {
			logger.debug("Could not close the workers' listener", ex);
		}
		this.expected.clear();
	}

	private record Expected(byte[] secret, TcpChannel channel) {
	}

}
