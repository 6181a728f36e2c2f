package io.vmworkers.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerRoleAutoConfigurationFilterTests {

	private static final String[] CANDIDATES = {
			"org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration",
			"org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.web.server.ManagementContextAutoConfiguration",
			"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
			"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration", null,
			"com.acme.EndpointAutoConfiguration" };

	@Test
	void aWorkerSkipsTheEndpointAndManagementContextAutoConfigurationsOfSpringBootOnly() {
		assertThat(match(new MockEnvironment().withProperty("vmworkers.role", "worker")))
			.containsExactly(false, false, false, true, true, true, true);
	}

	@Test
	void aMasterSkipsNothing() {
		assertThat(match(new MockEnvironment())).containsOnly(true);
		assertThat(match(new MockEnvironment().withProperty("vmworkers.role", "master"))).containsOnly(true);
	}

	@Test
	void aWorkerWithJmxSkipsNothing() {
		assertThat(match(new MockEnvironment().withProperty("vmworkers.role", "worker")
			.withProperty("spring.jmx.enabled", "true"))).containsOnly(true);
	}

	private static boolean[] match(MockEnvironment environment) {
		WorkerRoleAutoConfigurationFilter filter = new WorkerRoleAutoConfigurationFilter();
		filter.setEnvironment(environment);
		return filter.match(CANDIDATES, null);
	}

}
