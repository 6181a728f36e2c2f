package io.vmworkers.it.calls;

import java.time.Instant;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

@SpringBootApplication
public class CallsApplication {

	/** Notes when the context's start begins: the first of all lifecycle beans to start. */
	@Component
	static class StartClock implements SmartLifecycle {

		volatile Instant startedAt;

		@Override
		public void start() {
			this.startedAt = Instant.now();
		}

		@Override
		public void stop() {
		}

		@Override
		public boolean isRunning() {
			return this.startedAt != null;
		}

		@Override
		public int getPhase() {
			return Integer.MIN_VALUE;
		}

	}

}
