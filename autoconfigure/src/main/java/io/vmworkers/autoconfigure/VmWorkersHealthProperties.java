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

	/**
	 * Whether a worker is reported DOWN while fewer of its replicas serve than it is configured
	 * with, also while all of them are (re)starting, which is otherwise UNKNOWN. Off, a pool is UP
	 * while at least one replica serves, with the count as details ('serving', 'replicas'). A
	 * replica serves when ready with a heartbeat within the heartbeat timeout; spares do not
	 * count. A worker stopping or stopped on request stays OUT_OF_SERVICE.
	 */
	private boolean downBelowReplicas;

	public Duration getHeartbeatTimeout() {
		return this.heartbeatTimeout;
	}

	public void setHeartbeatTimeout(Duration heartbeatTimeout) {
		this.heartbeatTimeout = heartbeatTimeout;
	}

	public boolean isDownBelowReplicas() {
		return this.downBelowReplicas;
	}

	public void setDownBelowReplicas(boolean downBelowReplicas) {
		this.downBelowReplicas = downBelowReplicas;
	}

}
