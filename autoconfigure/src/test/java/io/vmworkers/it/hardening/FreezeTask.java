package io.vmworkers.it.hardening;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.vmworkers.annotation.WorkerTask;

/**
 * A task whose JVM stops (SIGSTOP) soon after it is asked to: it then reads nothing.
 */
@WorkerTask
public class FreezeTask {

	public long freezeSoon() {
		long pid = ProcessHandle.current().pid();
		// After the answer is out: the caller must get it.
		CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS).execute(() -> {
			try {
				new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start();
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
		return pid;
	}

}
