package io.vmworkers.dispatch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.vmworkers.channel.ChannelClosedException;
import io.vmworkers.channel.SharedRing;
import io.vmworkers.codec.KryoCodec;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One side of a connection: the ring it writes, the ring it reads, the codec, and a receiving
 * thread that decodes each frame and hands it to a {@link FrameHandler}.
 */
final class Endpoint {

	private static final Log logger = LogFactory.getLog(Endpoint.class);

	private static final long READ_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private final String workerName;

	private final SharedRing inbound;

	private final SharedRing outbound;

	private final KryoCodec codec;

	private final long sendTimeoutNanos;

	private final FrameHandler handler;

	private final Thread receiver;

	private volatile boolean open = true;

	Endpoint(String workerName, SharedRing inbound, SharedRing outbound, KryoCodec codec, Duration sendTimeout,
			FrameHandler handler) {
		this.workerName = workerName;
		this.inbound = inbound;
		this.outbound = outbound;
		this.codec = codec;
		this.sendTimeoutNanos = sendTimeout.toNanos();
		this.handler = handler;
		this.receiver = new Thread(this::receive, "vmworkers-" + workerName + "-receiver");
		this.receiver.setDaemon(true);
	}

	void start() {
		this.receiver.start();
	}

	String workerName() {
		return this.workerName;
	}

	SharedRing inbound() {
		return this.inbound;
	}

	SharedRing outbound() {
		return this.outbound;
	}

	boolean isOpen() {
		return this.open;
	}

	/**
	 * Encodes and sends one frame. Encoding happens before anything is written, so a refused
	 * object leaves the ring untouched.
	 */
	void send(int type, long correlationId, Object payload) {
		if (!this.open) {
			throw new ChannelClosedException("channel to worker '" + this.workerName + "' is closed");
		}
		this.codec.encode(payload, (buffer, length) -> this.outbound.write(type, correlationId, buffer, 0, length,
				this.sendTimeoutNanos));
	}

	private void receive() {
		SharedRing.MessageHandler decoder = this::decode;
		try {
			while (this.open) {
				if (this.inbound.awaitData(READ_WAIT_NANOS)) {
					this.inbound.read(decoder, 64);
				}
			}
		}
		catch (RuntimeException ex) {
			if (this.open) {
				logger.error("Channel of worker '" + this.workerName + "' failed; closing it", ex);
				close();
				this.handler.onFailed(ex);
			}
		}
	}

	private void decode(int type, long correlationId, byte[] buffer, int offset, int length) {
		Object payload;
		try {
			payload = this.codec.decode(buffer, offset, length);
		}
		catch (RuntimeException ex) {
			this.handler.onUndecodable(type, correlationId, ex);
			return;
		}
		this.handler.onFrame(type, correlationId, payload);
	}

	/**
	 * Stops receiving and wakes the threads of this process waiting on either ring.
	 */
	void close() {
		this.open = false;
		this.inbound.close();
		this.outbound.close();
	}

	/**
	 * Deletes both ring files; the mappings stay valid until collected.
	 */
	void deleteFiles() {
		for (Path file : new Path[] { this.inbound.file(), this.outbound.file() }) {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				logger.warn("Could not delete channel file " + file + ": " + ex.getMessage());
			}
		}
	}

	/** Receives the frames decoded by an {@link Endpoint}, on its receiving thread. */
	interface FrameHandler {

		void onFrame(int type, long correlationId, Object payload);

		/** A frame whose payload could not be decoded (for example a refused class). */
		void onUndecodable(int type, long correlationId, RuntimeException failure);

		/** The channel failed (for example a corrupt record); the endpoint is already closed. */
		void onFailed(RuntimeException failure);

	}

}
