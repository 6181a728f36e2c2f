package io.vmworkers.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of vmworkers' Micrometer meters.
 */
@ConfigurationProperties("vmworkers.metrics")
public class VmWorkersMetricsProperties {

	private final CallLatency callLatency = new CallLatency();

	public CallLatency getCallLatency() {
		return this.callLatency;
	}

	/**
	 * The call latency timer.
	 */
	public static class CallLatency {

		/**
		 * Whether to time every call of a worker method with a timer
		 * ('vmworkers.call.duration') that publishes a percentile histogram. Off by default: it
		 * adds a timer update to every call.
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
