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
	 * How old a ready worker's last heartbeat may be before the worker is reported DOWN. Workers
	 * send one every 250 ms.
	 */
	private Duration heartbeatTimeout = Duration.ofSeconds(1);

	public Duration getHeartbeatTimeout() {
		return this.heartbeatTimeout;
	}

	public void setHeartbeatTimeout(Duration heartbeatTimeout) {
		this.heartbeatTimeout = heartbeatTimeout;
	}

}
