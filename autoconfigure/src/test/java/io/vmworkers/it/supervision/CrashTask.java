package io.vmworkers.it.supervision;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.vmworkers.annotation.Idempotent;
import io.vmworkers.annotation.WorkerTask;

@WorkerTask
public class CrashTask {

	public long pid() {
		return ProcessHandle.current().pid();
	}

	public void crash() {
		Runtime.getRuntime().halt(42);
	}

	/**
	 * Dies the first time (when the marker file does not exist yet), answers the second time.
	 * @param marker a file that remembers the first attempt across worker processes
	 * @return 7
	 */
	@Idempotent
	public int crashOnce(String marker) throws IOException {
		Path file = Path.of(marker);
		if (!Files.exists(file)) {
			Files.createFile(file);
			Runtime.getRuntime().halt(43);
		}
		return 7;
	}

	public int slow(int millis) throws InterruptedException {
		Thread.sleep(millis);
		return millis;
	}

}
