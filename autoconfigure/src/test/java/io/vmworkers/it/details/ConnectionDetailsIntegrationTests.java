package io.vmworkers.it.details;

import java.util.concurrent.TimeUnit;

import io.vmworkers.it.detailsmaster.ServiceConnections;
import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker gets the master's connection details, as a test's {@code @ServiceConnection} makes
 * them: beans the worker's own context would not have.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConnectionDetailsIntegrationTests {

	@Test
	void workerGetsTheMastersConnectionDetailsWithTheirValues() {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(DetailsApplication.class,
				ServiceConnections.class)
			.web(WebApplicationType.NONE)
			.properties(Workers.JVM_OPTIONS, "vmworkers.inherit-jvm-options=false", "spring.main.banner-mode=off")
			.run();
		try {
			String onMaster = ShapesTask.describe(context.getBean(ShapesConnectionDetails.class));
			assertThat(onMaster).isEqualTo("shapes shapes://127.0.0.1:49153/test 49153 test/s3cret node-a,node-b");
			assertThat(context.getBean(ShapesTask.class).describe()).isEqualTo(onMaster);
		}
		finally {
			Workers.closeAndCheckNothingLeft(context);
		}
	}

}
