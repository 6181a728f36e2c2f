package io.vmworkers.autoconfigure;

import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.util.StringUtils;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerRoleAutoConfigurationFilterTests {

	private static final String[] CANDIDATES = {
			"org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration",
			"org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.web.server.ManagementContextAutoConfiguration",
			"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
			"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration", null,
			"com.acme.EndpointAutoConfiguration",
			"org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration",
			"org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration",
			"com.acme.web.AnyWebAutoConfiguration" };

	/** What Boot's annotation processor records for the last three: servlet, reactive, any. */
	private static final AutoConfigurationMetadata METADATA = metadata(
			"org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration.ConditionalOnWebApplication=SERVLET",
			"org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration.ConditionalOnWebApplication=REACTIVE",
			"com.acme.web.AnyWebAutoConfiguration.ConditionalOnWebApplication=",
			"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration.ConditionalOnClass=tools.jackson.databind.json.JsonMapper");

	@Test
	void aWorkerSkipsWebAndSpringBootsEndpointAndManagementContextAutoConfigurations() {
		assertThat(match(new MockEnvironment().withProperty("vmworkers.role", "worker")))
			.containsExactly(false, false, false, true, true, true, true, false, false, false);
	}

	@Test
	void aWorkerThatTheApplicationMakesAWebApplicationKeepsTheWebAutoConfigurations() {
		assertThat(match(new MockEnvironment().withProperty("vmworkers.role", "worker")
			.withProperty("spring.main.web-application-type", "servlet")))
			.containsExactly(false, false, false, true, true, true, true, true, true, true);
		assertThat(match(new MockEnvironment().withProperty("vmworkers.role", "worker")
			.withProperty("spring.main.web-application-type", "NONE")))
			.containsExactly(false, false, false, true, true, true, true, false, false, false);
	}

	@Test
	void aMasterSkipsNothing() {
		assertThat(match(new MockEnvironment())).containsOnly(true);
		assertThat(match(new MockEnvironment().withProperty("vmworkers.role", "master"))).containsOnly(true);
	}

	@Test
	void aWorkerWithJmxKeepsTheEndpointAutoConfigurations() {
		assertThat(match(new MockEnvironment().withProperty("vmworkers.role", "worker")
			.withProperty("spring.jmx.enabled", "true")))
			.containsExactly(true, true, true, true, true, true, true, false, false, false);
	}

	private static boolean[] match(MockEnvironment environment) {
		WorkerRoleAutoConfigurationFilter filter = new WorkerRoleAutoConfigurationFilter();
		filter.setEnvironment(environment);
		return filter.match(CANDIDATES, METADATA);
	}

	private static AutoConfigurationMetadata metadata(String... entries) {
		Properties properties = new Properties();
		for (String entry : entries) {
			int equals = entry.indexOf('=');
			properties.setProperty(entry.substring(0, equals), entry.substring(equals + 1));
		}
		return new AutoConfigurationMetadata() {

			@Override
			public boolean wasProcessed(String className) {
				return properties.stringPropertyNames().stream().anyMatch((key) -> key.startsWith(className + "."));
			}

			@Override
			public Integer getInteger(String className, String key) {
				return getInteger(className, key, null);
			}

			@Override
			public Integer getInteger(String className, String key, Integer defaultValue) {
				String value = get(className, key);
				return (value != null) ? Integer.valueOf(value) : defaultValue;
			}

			@Override
			public Set<String> getSet(String className, String key) {
				return getSet(className, key, null);
			}

			@Override
			public Set<String> getSet(String className, String key, Set<String> defaultValue) {
				String value = get(className, key);
				return (value != null) ? StringUtils.commaDelimitedListToSet(value) : defaultValue;
			}

			@Override
			public String get(String className, String key) {
				return get(className, key, null);
			}

			@Override
			public String get(String className, String key, String defaultValue) {
				return properties.getProperty(className + "." + key, defaultValue);
			}

		};
	}

}
