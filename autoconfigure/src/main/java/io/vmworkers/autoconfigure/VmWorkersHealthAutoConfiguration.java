package io.vmworkers.autoconfigure;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.vmworkers.actuate.VmWorkersHealthContributor;
import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.master.LaunchPlan;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code vmworkers} health contributor, one entry per worker, when the application has
 * Spring Boot's health support; {@code management.health.vmworkers.enabled=false} switches it off.
 */
@AutoConfiguration(after = VmWorkersAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
public final class VmWorkersHealthAutoConfiguration {

	// Nested: @ConditionalOnEnabledHealthIndicator beside @ConditionalOnClass fails without spring-boot-health.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnEnabledHealthIndicator("vmworkers")
	@ConditionalOnBean(VmDispatcher.class)
	@EnableConfigurationProperties(VmWorkersHealthProperties.class)
	static class HealthContributorConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = { "vmworkersHealthIndicator", "vmworkersHealthContributor" })
		VmWorkersHealthContributor vmworkersHealthContributor(VmDispatcher dispatcher,
				VmWorkersHealthProperties properties, ObjectProvider<LaunchPlan> plan,
				ObjectProvider<VmWorkersProperties> workersProperties) {
			Duration threshold = properties.getHeartbeatTimeout();
			if (threshold != null) {
				return new VmWorkersHealthContributor(dispatcher, (name) -> threshold,
						properties.isDownBelowReplicas());
			}
			// Each worker's own, from the settings checked at start-up: DOWN for silence exactly when
			// its supervisor counts it hung. A worker of a dispatcher not made from the plan gets the
			// global one.
			Map<String, Duration> timeouts = new HashMap<>();
			plan.ifAvailable((launchPlan) -> launchPlan.workers()
				.forEach((name, worker) -> timeouts.put(name, worker.settings().heartbeatTimeout())));
			Duration global = workersProperties.getIfAvailable(VmWorkersProperties::new).getHeartbeatTimeout();
			return new VmWorkersHealthContributor(dispatcher, (name) -> timeouts.getOrDefault(name, global),
					properties.isDownBelowReplicas());
		}

	}

}
