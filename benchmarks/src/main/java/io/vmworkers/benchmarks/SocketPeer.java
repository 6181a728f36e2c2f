package io.vmworkers.benchmarks;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What two Java processes use without shared memory: a blocking TCP loopback connection and a
 * Unix-domain socket to a child JVM ({@link SocketEcho}), ping-ponging an int.
 */
final class SocketPeer implements AutoCloseable {

	private final ChildJvm child;

	private final SocketChannel tcp;

	private final SocketChannel unix;

	private final Path socketFile;

	private SocketPeer(ChildJvm child, SocketChannel tcp, SocketChannel unix, Path socketFile) {
		this.child = child;
		this.tcp = tcp;
		this.unix = unix;
		this.socketFile = socketFile;
	}

	static SocketPeer start() throws IOException {
		Path socketFile = Files.createTempDirectory("vmworkers-bench-").resolve("echo.sock");
		// Also removed on Ctrl-C; registered folder first, so that it is deleted last.
		socketFile.getParent().toFile().deleteOnExit();
		socketFile.toFile().deleteOnExit();
		ChildJvm child = null;
		try (ServerSocketChannel tcpServer = tcpServer();
				ServerSocketChannel unixServer = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			unixServer.bind(UnixDomainSocketAddress.of(socketFile));
			child = ChildJvm.start(SocketEcho.class, Integer.toString(port(tcpServer)), socketFile.toString());
			child.closeOnExit(tcpServer);
			child.closeOnExit(unixServer);
			SocketChannel tcp = accept(tcpServer);
			return new SocketPeer(child, tcp, unixServer.accept(), socketFile);
		}
		catch (IOException | RuntimeException ex) {
			if (child != null) {
				child.close();
			}
			deleteSocketFile(socketFile);
			throw ex;
		}
	}

	/**
	 * Starts a bare JVM and waits for its first message: the floor under any worker's start.
	 * @return nanoseconds from the start of the process to its first byte arriving
	 * @throws IOException when the JVM cannot be started
	 */
	static long timeToFirstMessage() throws IOException {
		try (ServerSocketChannel server = tcpServer()) {
			long start = System.nanoTime();
			try (ChildJvm child = ChildJvm.start(SocketEcho.class, Integer.toString(port(server)))) {
				child.closeOnExit(server);
				try (SocketChannel connection = accept(server)) {
					return System.nanoTime() - start;
				}
			}
		}
	}

	private static ServerSocketChannel tcpServer() throws IOException {
		ServerSocketChannel server = ServerSocketChannel.open();
		server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		return server;
	}

	private static int port(ServerSocketChannel server) throws IOException {
		return ((InetSocketAddress) server.getLocalAddress()).getPort();
	}

	/** Accepts the child's connection and reads its first byte, which says it runs. */
	private static SocketChannel accept(ServerSocketChannel server) throws IOException {
		SocketChannel connection = server.accept();
		connection.setOption(StandardSocketOptions.TCP_NODELAY, true);
		if (!readFully(connection, ByteBuffer.allocate(1))) {
			connection.close();
			throw new EOFException("the socket echo closed before saying it runs");
		}
		return connection;
	}

	long pid() {
		return this.child.pid();
	}

	RoundTrip tcp() {
		return RoundTrip.of("TCP loopback socket", new Connection(this.tcp)::echo);
	}

	RoundTrip unix() {
		return RoundTrip.of("Unix-domain socket", unixEcho());
	}

	/**
	 * One round trip over the Unix-domain socket, for a wake-up after silence.
	 * @return the round trip
	 */
	RoundTrip.Step unixEcho() {
		return new Connection(this.unix)::echo;
	}

	@Override
	public void close() throws IOException {
		try (this.tcp; this.unix) {
			this.child.close();
		}
		finally {
			deleteSocketFile(this.socketFile);
		}
	}

	private static void deleteSocketFile(Path socketFile) throws IOException {
		Files.deleteIfExists(socketFile);
		Files.deleteIfExists(socketFile.getParent());
	}

	static boolean readFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
		buffer.clear();
		while (buffer.hasRemaining()) {
			if (channel.read(buffer) < 0) {
				return false;
			}
		}
		return true;
	}

	static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
		buffer.clear();
		while (buffer.hasRemaining()) {
			channel.write(buffer);
		}
	}

	/** One connection to the echo, with its buffer. */
	private static final class Connection {

		private final SocketChannel channel;

		private final ByteBuffer buffer = ByteBuffer.allocateDirect(4);

		Connection(SocketChannel channel) {
			this.channel = channel;
		}

		int echo(int value) throws IOException {
			this.buffer.putInt(0, value);
			writeFully(this.channel, this.buffer);
			if (!readFully(this.channel, this.buffer)) {
				throw new EOFException("the socket echo closed the connection");
			}
			return this.buffer.getInt(0);
		}

	}

}
