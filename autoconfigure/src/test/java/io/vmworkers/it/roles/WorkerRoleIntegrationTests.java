package io.vmworkers.it.roles;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerRoleIntegrationTests {

	@Test
	void workerRunsOnlyItsTaskAndWhatTheTaskNeeds() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(RolesApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties(Workers.JVM_OPTIONS, "vmworkers.inherit-jvm-options=false", "server.port=0",
					"spring.main.banner-mode=off")
			.run()) {
			assertThat(context).isInstanceOf(WebServerApplicationContext.class);
			RoleTask task = context.getBean(RoleTask.class);
			// The master ran everything, as a normal application does.
			await().atMost(java.time.Duration.ofSeconds(30))
				.until(() -> RolesApplication.counts().getOrDefault("scheduled", 0) > 0);
			assertThat(RolesApplication.counts()).containsKeys("commandLineRunner", "applicationRunner",
					"applicationListener", "eventListener", "unrelatedBean", "helperBean");
			// The worker: its task and the task's dependency, nothing else.
			assertThat(task.help()).isEqualTo("helped");
			Map<String, Integer> worker = task.counts();
			assertThat(worker).containsExactly(Map.entry("helperBean", 1));
			assertThat(task.hasWebServer()).isFalse();
			assertThat(task.hasDispatcher()).isFalse();
			// Nothing could reach an actuator endpoint in a worker: their auto-configurations are skipped there.
			assertThat(context.containsBean(RolesApplication.ENDPOINT_CONFIGURATION)).isTrue();
			assertThat(task.hasEndpointConfiguration()).isFalse();
			// Nor could a web auto-configuration apply there: it is not even parsed, unlike in the master.
			assertThat(context.containsBean(RolesApplication.WEB_MVC_CONFIGURATION)).isTrue();
			assertThat(task.evaluatedWebMvcConfiguration()).isFalse();
		}
		assertThat(Workers.children()).isEmpty();
		assertThat(Workers.leftovers()).isEmpty();
	}

}
