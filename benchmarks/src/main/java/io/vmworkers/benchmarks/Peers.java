package io.vmworkers.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The references that stay up for the call, stream and idle cases: the raw ring and the socket
 * echoes in child JVMs, Python's Pipe, and an executor inside this JVM.
 */
final class Peers implements AutoCloseable {

	final RawRingPeer ring;

	final SocketPeer sockets;

	final Optional<PythonPipePeer> python;

	final ExecutorService executor = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "executor-echo");
		thread.setDaemon(true);
		return thread;
	});

	private Peers(RawRingPeer ring, SocketPeer sockets, Optional<PythonPipePeer> python) {
		this.ring = ring;
		this.sockets = sockets;
		this.python = python;
	}

	static Peers start(Path ringDirectory) throws IOException {
		RawRingPeer ring = RawRingPeer.start(ringDirectory);
		SocketPeer sockets = null;
		try {
			sockets = SocketPeer.start();
			return new Peers(ring, sockets, PythonPipePeer.start());
		}
		catch (IOException | RuntimeException ex) {
			ring.close();
			if (sockets != null) {
				sockets.close();
			}
			throw ex;
		}
	}

	/**
	 * What a Java user has inside one JVM: a task handed to a thread pool and its result awaited.
	 * @return the batch
	 */
	RoundTrip executor() {
		return RoundTrip.of("ExecutorService.submit().get()", (value) -> this.executor.submit(() -> value + 1).get());
	}

	@Override
	public void close() throws IOException {
		this.executor.shutdownNow();
		try (this.sockets) {
			this.ring.close();
		}
		finally {
			if (this.python.isPresent()) {
				this.python.get().close();
			}
		}
	}

}
