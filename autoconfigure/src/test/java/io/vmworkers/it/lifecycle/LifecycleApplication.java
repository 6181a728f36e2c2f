package io.vmworkers.it.lifecycle;

import io.vmworkers.it.support.WorkerProbe;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

@SpringBootApplication
public class LifecycleApplication {

	@Bean
	static WorkerProbe workerProbe() {
		return new WorkerProbe();
	}

	/** Calls its worker while the context is still being created, before the dispatcher starts. */
	@Component
	static class EarlyCaller {

		final int early;

		EarlyCaller(SleeperTask task) {
			this.early = task.inc(1);
		}

	}

}
