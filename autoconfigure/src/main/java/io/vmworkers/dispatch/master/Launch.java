package io.vmworkers.dispatch.master;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.vmworkers.channel.ChannelFiles;
import io.vmworkers.channel.SharedRing;
import io.vmworkers.dispatch.WorkerSettings;
import io.vmworkers.process.WorkerProcess;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A worker process just started, with the channel it was given and the secret it must present:
 * what a {@link Replica} connects to. A launch made before the dispatcher existed waits in
 * {@link EarlyLaunches} until its worker adopts it.
 */
public final class Launch {

	private static final Log logger = LogFactory.getLog(Launch.class);

	/** How long a discarded process may take to die after SIGKILL before its archive is judged. */
	private static final Duration DISCARD_WAIT = Duration.ofSeconds(2);

	private final String name;

	private final SharedRing toWorker;

	private final SharedRing fromWorker;

	private final String token;

	private final WorkerLauncher.Launched launched;

	private final Instant startedAt;

	private Launch(String name, SharedRing toWorker, SharedRing fromWorker, String token,
			WorkerLauncher.Launched launched) {
		this.name = name;
		this.toWorker = toWorker;
		this.fromWorker = fromWorker;
		this.token = token;
		this.launched = launched;
		this.startedAt = Instant.now();
	}

	/**
	 * Creates a worker's channel files in the master's run directory and starts its process.
	 * Whatever was created is removed again if that fails.
	 * @param name the worker's name
	 * @param settings its settings
	 * @param launcher builds and starts the command
	 * @return the launch
	 * @throws IOException when a channel file or the process cannot be created
	 */
	static Launch start(String name, WorkerSettings settings, WorkerLauncher launcher) throws IOException {
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
			WorkerLauncher.Launched launched = launcher.launch(name, settings, toWorkerFile, fromWorkerFile, token);
			return new Launch(name, out, in, token, launched);
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
		return new Launch(name, toWorker, fromWorker, token, new WorkerLauncher.Launched(worker, null, null));
	}

	/** The ring the master writes and the worker reads. */
	SharedRing toWorker() {
		return this.toWorker;
	}

	/** The ring the worker writes and the master reads. */
	SharedRing fromWorker() {
		return this.fromWorker;
	}

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
	 * Kills the process and removes its channel files, argument file and unfinished archive; for
	 * a launch that no worker adopted.
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
		for (SharedRing ring : new SharedRing[] { this.toWorker, this.fromWorker }) {
			ring.close();
			if (ring.file() != null) {
				deleteQuietly(ring.file());
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

}
