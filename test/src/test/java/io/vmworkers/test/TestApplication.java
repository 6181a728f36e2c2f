package io.vmworkers.test;

import io.vmworkers.annotation.WorkerTask;

import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class TestApplication {

	@WorkerTask("pidTask")
	public static class PidTask {

		public long pid() {
			return ProcessHandle.current().pid();
		}

	}

}
