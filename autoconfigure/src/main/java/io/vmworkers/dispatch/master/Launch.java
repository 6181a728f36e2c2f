package io.vmworkers.dispatch.master;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.vmworkers.channel.ChannelFiles;
import io.vmworkers.channel.FrameSink;
import io.vmworkers.channel.SharedRing;
import io.vmworkers.channel.tcp.TcpChannel;
import io.vmworkers.channel.tcp.TcpListener;
import io.vmworkers.dispatch.Transport;
import io.vmworkers.dispatch.WorkerSettings;
import io.vmworkers.process.WorkerProcess;
import io.vmworkers.protocol.LaunchParameters;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A worker process just started, with the channel it was given and the secret it must present:
 * what a {@link Replica} connects to. A launch made before the dispatcher existed waits in
 * {@link EarlyLaunches} until its worker adopts it.
 * <p>
 * On shared memory the channel is two ring files the worker maps; on TCP it is a
 * {@link TcpChannel} that the worker's connection completes once the worker has proven it is this
 * launch, with the secret it got in its environment.
 */
public final class Launch {

	private static final Log logger = LogFactory.getLog(Launch.class);

	/** How long a discarded process may take to die after SIGKILL before its archive is judged. */
	private static final Duration DISCARD_WAIT = Duration.ofSeconds(2);

	private final String name;

	private final FrameSink toWorker;

	private final SharedRing fromWorker;

	private final TcpConnection tcp;

	private final String token;

	private final WorkerLauncher.Launched launched;

	private final Instant startedAt;

	private Launch(String name, FrameSink toWorker, SharedRing fromWorker, TcpConnection tcp, String token,
			WorkerLauncher.Launched launched) {
		this.name = name;
		this.toWorker = toWorker;
		this.fromWorker = fromWorker;
		this.tcp = tcp;
		this.token = token;
		this.launched = launched;
		this.startedAt = Instant.now();
	}

	/**
	 * Creates a worker's channel and starts its process. Whatever was created is removed again if
	 * that fails.
	 * @param name the worker's name
	 * @param place the index of its place in the pool, or -1 when not known (launched early)
	 * @param settings its settings
	 * @param launcher builds and starts the command
	 * @return the launch
	 * @throws IOException when the channel or the process cannot be created
	 */
	static Launch start(String name, int place, WorkerSettings settings, WorkerLauncher launcher) throws IOException {
		return (settings.transport() == Transport.TCP) ? startOnTcp(name, place, settings, launcher)
				: startOnSharedMemory(name, settings, launcher);
	}

	private static Launch startOnSharedMemory(String name, WorkerSettings settings, WorkerLauncher launcher)
			throws IOException {
		Path directory = ChannelFiles.runDirectory(settings.directory(), ProcessHandle.current());
		String base = ChannelFiles.newBaseName(name);
		Path toWorkerFile = directory.resolve(base + ChannelFiles.TO_WORKER);
		Path fromWorkerFile = directory.resolve(base + ChannelFiles.FROM_WORKER);
		SharedRing out = null;
		SharedRing in = null;
		try {
			ChannelFiles.createRunDirectory(directory);
			long spin = settings.spin().toNanos();
			out = SharedRing.create(toWorkerFile, settings.capacity(), spin);
			in = SharedRing.create(fromWorkerFile, settings.capacity(), spin);
			String token = ChannelFiles.newToken();
			WorkerLauncher.Launched launched = launcher.launch(name, settings,
					Map.of(LaunchParameters.INBOUND_PROPERTY, toWorkerFile.toString(), LaunchParameters.OUTBOUND_PROPERTY,
							fromWorkerFile.toString()),
					token);
			return new Launch(name, out, in, null, token, launched);
		}
		catch (IOException | RuntimeException ex) {
			if (out != null) {
				out.close();
			}
			if (in != null) {
				in.close();
			}
			deleteQuietly(toWorkerFile);
			deleteQuietly(fromWorkerFile);
			throw ex;
		}
	}

	/**
	 * Expects the worker's connection under a new launch id, then starts it with the master's
	 * address and that id, as a child process or through its placement; the secret goes in its
	 * environment only. The worker proves it with the secret, so its READY frame presents none.
	 */
	private static Launch startOnTcp(String name, int place, WorkerSettings settings, WorkerLauncher launcher)
			throws IOException {
		TcpListener listener = launcher.tcp().listener();
		String launchId = ChannelFiles.newBaseName(name);
		String token = ChannelFiles.newToken();
		TcpChannel channel = TcpChannel.awaitingConnection("tcp:worker '" + name + "' " + launchId,
				settings.capacity(), settings.spin().toNanos());
		listener.expect(launchId, token, channel);
		try {
			Map<String, String> parameters = new LinkedHashMap<>();
			parameters.put(LaunchParameters.TRANSPORT_PROPERTY, "tcp");
			parameters.put(LaunchParameters.CAPACITY_PROPERTY, Integer.toString(settings.capacity()));
			if (launcher.tcp().sslBundle() != null) {
				parameters.put(LaunchParameters.SSL_BUNDLE_PROPERTY, launcher.tcp().sslBundle());
			}
			WorkerLauncher.Launched launched;
			if (settings.local()) {
				parameters.put(LaunchParameters.MASTER_ADDRESS_PROPERTY, TcpWorkerListener.dialAddress(listener.address()));
				parameters.put(LaunchParameters.LAUNCH_ID_PROPERTY, launchId);
				launched = launcher.launch(name, settings, parameters, token);
			}
			else {
				// Its placement says where the master is, as seen from there.
				launched = launcher.launchElsewhere(launcher.placement(settings), name, place, settings, parameters, launchId,
						token, listener.address().getPort());
			}
			return new Launch(name, channel.outbound(), channel.inbound(), new TcpConnection(listener, launchId, channel),
					"", launched);
		}
		catch (IOException | RuntimeException ex) {
			listener.forget(launchId);
			channel.close();
			throw ex;
		}
	}

	/**
	 * A worker started in this JVM, its rings in memory (see {@link WorkerStarter}).
	 * @param name the worker's name
	 * @param toWorker the master's end of the ring the worker reads
	 * @param fromWorker the master's end of the ring the worker writes
	 * @param token the secret the worker presents in its READY frame
	 * @param worker the running worker
	 * @return the launch
	 */
	public static Launch inMemory(String name, SharedRing toWorker, SharedRing fromWorker, String token,
			WorkerProcess worker) {
		return new Launch(name, toWorker, fromWorker, null, token, new WorkerLauncher.Launched(worker, null, null));
	}

	/** Where the master writes what the worker reads. */
	FrameSink toWorker() {
		return this.toWorker;
	}

	/** The ring the master reads: the worker's, or the one its connection fills. */
	SharedRing fromWorker() {
		return this.fromWorker;
	}

	/** The connection of a launch on TCP, or null. */
	TcpChannel tcp() {
		return (this.tcp != null) ? this.tcp.channel() : null;
	}

	/** What the worker's READY frame must present: its secret, or nothing on TCP, proven already. */
	String token() {
		return this.token;
	}

	WorkerLauncher.Launched launched() {
		return this.launched;
	}

	Instant startedAt() {
		return this.startedAt;
	}

	/**
	 * Kills the process and removes its channel (files, or expected connection), argument file and
	 * unfinished archive; for a launch that no worker adopted.
	 */
	void discard() {
		WorkerProcess process = this.launched.process();
		process.kill();
		process.closeInput();
		if (!process.awaitExit(DISCARD_WAIT)) {
			logger.warn("Worker '" + this.name + "' (pid " + process.pid() + ") launched early was killed but has not"
					+ " exited yet");
		}
		this.launched.deleteArgumentFile();
		this.launched.finishSharing(this.name, false);
		if (this.tcp != null) {
			this.tcp.listener().forget(this.tcp.launchId());
			this.tcp.channel().close();
			return;
		}
		this.toWorker.close();
		this.fromWorker.close();
		for (Path file : new Path[] { this.toWorker.file(), this.fromWorker.file() }) {
			if (file != null) {
				deleteQuietly(file);
			}
		}
		if (this.toWorker.file() != null) {
			ChannelFiles.deleteIfEmpty(this.toWorker.file().getParent());
		}
	}

	private static void deleteQuietly(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			logger.warn("Could not delete channel file " + file + ": " + ex.getMessage());
		}
	}

	/** A launch's expected or made connection. */
	private record TcpConnection(TcpListener listener, String launchId, TcpChannel channel) {
	}

}
