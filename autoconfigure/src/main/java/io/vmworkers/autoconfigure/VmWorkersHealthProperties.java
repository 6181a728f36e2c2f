package io.vmworkers.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the {@code vmworkers} health contributor. Switch it off with
 * {@code management.health.vmworkers.enabled=false}.
 */
@ConfigurationProperties("vmworkers.health")
public class VmWorkersHealthProperties {

	/**
	 * How old a ready worker's last heartbeat may be before the worker is reported DOWN, for every
	 * worker. Workers send one every 250 ms. Unset, each worker's own heartbeat timeout
	 * (vmworkers.heartbeat-timeout or its per-worker override), after which its supervisor kills
	 * it as hung.
	 */
	private Duration heartbeatTimeout;

	public Duration getHeartbeatTimeout() {
		return this.heartbeatTimeout;
	}

	public void setHeartbeatTimeout(Duration heartbeatTimeout) {
		this.heartbeatTimeout = heartbeatTimeout;
	}

}
