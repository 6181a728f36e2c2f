package io.vmworkers.it.lifecycle;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;

@SpringBootApplication
public class LifecycleApplication {

	/** Calls its worker while the context is still being created, before the dispatcher starts. */
	@Component
	static class EarlyCaller {

		final int early;

		EarlyCaller(SleeperTask task) {
			this.early = task.inc(1);
		}

	}

}
