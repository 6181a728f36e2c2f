package io.vmworkers.channel.tcp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import javax.net.SocketFactory;

import io.vmworkers.channel.ChannelClosedException;
import io.vmworkers.channel.ChannelCorruptedException;
import io.vmworkers.channel.FrameSink;
import io.vmworkers.channel.RingDescriptor;
import io.vmworkers.channel.SharedRing;

/**
 * One side of a worker's channel over a TCP connection: what it sends goes out on the socket as
 * {@linkplain WireRecords records} ({@link #outbound()}), and a receiving thread of its own puts
 * what arrives, checked, into a ring in this process's memory ({@link #inbound()}), which the link
 * reads exactly as it reads a shared-memory ring: the same waits, idle strategies and data credits.
 * <p>
 * The master creates its side before the worker connects ({@link #awaitingConnection}) and hands it
 * the socket once the worker has proven its launch ({@link TcpListener}); the worker
 * {@linkplain #dial dials}. When the connection ends under it, what arrived before is read first,
 * then {@link #whenGone} is told.
 */
public final class TcpChannel {

	/** How long the end of a connection waits for what arrived before it to be read. */
	private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(1);

	private static final int BUFFER_SIZE = 64 * 1024;

	private final String where;

	/** The ring's producer end, written by the receiving thread only. */
	private final SharedRing received;

	/** The ring's consumer end, which the link reads. */
	private final SharedRing inbound;

	private final SocketSink outbound;

	private final AtomicBoolean goneReported = new AtomicBoolean();

	private volatile Socket socket;

	private volatile boolean closed;

	private Consumer<RuntimeException> whenGone;

	private volatile Runnable whenClosed;

	private RuntimeException goneBeforeAsked;

	private TcpChannel(String where, int capacity, long spinNanos) {
		this.where = where;
		this.received = SharedRing.inMemory(where, capacity, spinNanos);
		this.inbound = this.received.otherEnd();
		// A broken write ends the socket: the receiving thread then reports the loss, after what came before.
		this.outbound = new SocketSink(where, capacity, (ex) -> closeSocket(), this::close);
	}

	/**
	 * Creates a side whose connection comes later ({@link #connect}); writers wait for it.
	 * @param where what messages name the connection by
	 * @param capacity the ring capacity of both sides
	 * @param spinNanos how long a reader spins before it sleeps
	 * @return the channel
	 */
	public static TcpChannel awaitingConnection(String where, int capacity, long spinNanos) {
		return new TcpChannel(where, capacity, spinNanos);
	}

	/**
	 * Connects to a master and proves the launch this worker is ({@link Handshake}).
	 * @param master the master's address
	 * @param sockets makes the socket (plain, or TLS)
	 * @param launchId the launch this worker is
	 * @param secret that launch's secret
	 * @param timeout the longest wait for the connection and the handshake
	 * @param capacity the ring capacity of both sides
	 * @param spinNanos how long a reader spins before it sleeps
	 * @return the connected channel
	 * @throws IOException when the master cannot be reached or refuses
	 */
	public static TcpChannel dial(InetSocketAddress master, SocketFactory sockets, String launchId, byte[] secret,
			Duration timeout, int capacity, long spinNanos) throws IOException {
		Socket socket = sockets.createSocket();
		try {
			socket.connect(master, (int) timeout.toMillis());
			socket.setSoTimeout((int) timeout.toMillis());
			Handshake.claim(socket, launchId, secret);
			socket.setSoTimeout(0);
		}
		catch (IOException | RuntimeException ex) {
			socket.close();
			throw ex;
		}
		TcpChannel channel = new TcpChannel("tcp:" + master.getHostString() + ":" + master.getPort() + "/" + launchId,
				capacity, spinNanos);
		channel.connect(socket);
		return channel;
	}

	/**
	 * Takes the connection: writers waiting for it go on, and the receiving thread starts.
	 * @param connected the socket, its handshake done
	 * @throws IOException when the socket cannot be set up
	 */
	public void connect(Socket connected) throws IOException {
		connected.setTcpNoDelay(true);
		// A peer whose machine vanished sends no end: the kernel's probes find it, in time.
		connected.setKeepAlive(true);
		this.socket = connected;
		if (this.closed) {
			connected.close();
			return;
		}
		BufferedInputStream in = new BufferedInputStream(connected.getInputStream(), BUFFER_SIZE);
		this.outbound.connect(new WireRecords.Writer(new BufferedOutputStream(connected.getOutputStream(), BUFFER_SIZE)));
		Thread receiver = new Thread(() -> receive(in), "vmworkers-tcp-receiver-" + this.where);
		receiver.setDaemon(true);
		receiver.start();
	}

	/**
	 * Returns the ring the link reads: what arrived on the connection.
	 * @return the ring, in memory
	 */
	public SharedRing inbound() {
		return this.inbound;
	}

	/**
	 * Returns where the link writes: the connection.
	 * @return the sink
	 */
	public FrameSink outbound() {
		return this.outbound;
	}

	/**
	 * Returns the other side's address.
	 * @return the address, or null before the connection
	 */
	public SocketAddress remoteAddress() {
		Socket current = this.socket;
		return (current != null) ? current.getRemoteSocketAddress() : null;
	}

	/**
	 * Sets what is told, once, when the connection ends under this side (closed by the other side,
	 * lost, or carrying a corrupt record); told at once if that happened already.
	 * @param action receives the cause
	 */
	public void whenGone(Consumer<RuntimeException> action) {
		RuntimeException cause;
		synchronized (this) {
			this.whenGone = action;
			cause = this.goneBeforeAsked;
		}
		if (cause != null) {
			action.accept(cause);
		}
	}

	/**
	 * Sets what runs once this side is closed, as a listener forgetting a launch whose channel
	 * closed before its worker connected.
	 * @param action the action
	 */
	void whenClosed(Runnable action) {
		this.whenClosed = action;
	}

	/**
	 * Closes this side: the socket, the sink and the ring.
	 */
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		Runnable action = this.whenClosed;
		if (action != null) {
			action.run();
		}
		this.outbound.close();
		this.received.close();
		this.inbound.close();
		closeSocket();
	}

	private void closeSocket() {
		Socket current = this.socket;
		if (current != null) {
			try {
				current.close();
			}
			catch (IOException ex) {
				// Closing anyway: nothing more can be sent or received on it.
			}
		}
	}

	private void receive(BufferedInputStream in) {
		WireRecords.Reader reader = new WireRecords.Reader(in, this.where, this.inbound::maxMessageLength);
		long[] beat = new long[RingDescriptor.BEAT_FIGURES];
		try {
			while (reader.next()) {
				if (reader.type() == WireRecords.BEAT) {
					ByteBuffer figures = ByteBuffer.wrap(reader.payload(), 0, reader.length());
					for (int i = 0; i < beat.length; i++) {
						beat[i] = figures.getLong(8 * i);
					}
					this.received.publishBeat(beat);
					continue;
				}
				// Waits for room as long as it takes: the link's credits bound the data, and replies
				// and heartbeats are always read.
				this.received.write(reader.type(), reader.correlationId(), reader.payload(), 0, reader.length(),
						Long.MAX_VALUE / 2);
			}
			gone(new ChannelClosedException("connection closed by the other side: " + this.where));
		}
		catch (IOException ex) {
			gone(connectionLost(ex));
		}
		catch (ChannelCorruptedException ex) {
			gone(ex);
		}
		catch (ChannelClosedException ex) {
			// Closed on this side.
		}
	}

	private ChannelClosedException connectionLost(IOException cause) {
		ChannelClosedException lost = new ChannelClosedException("connection lost: " + this.where + ": "
				+ cause.getMessage());
		lost.initCause(cause);
		return lost;
	}

	/**
	 * Reports the end of the connection once what arrived before it was read (or a while has passed).
	 */
	private void gone(RuntimeException cause) {
		if (this.closed || !this.goneReported.compareAndSet(false, true)) {
			return;
		}
		long start = System.nanoTime();
		while (this.received.bytesWaiting() > 0 && !this.closed && System.nanoTime() - start < DRAIN_NANOS) {
			LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(1));
		}
		Consumer<RuntimeException> action;
		synchronized (this) {
			action = this.whenGone;
			if (action == null) {
				this.goneBeforeAsked = cause;
				return;
			}
		}
		action.accept(cause);
	}

	@Override
	public String toString() {
		return this.where;
	}

}
