package io.vmworkers.it.early;

import java.util.Map;

import io.vmworkers.it.support.WorkerProbe;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

@SpringBootApplication
public class EarlyApplication {

	/**
	 * Changes the worker's JVM options after vmworkers made its launch plan and launched it, as a
	 * late post-processor may: too late to count.
	 */
	@Bean
	static BeanFactoryPostProcessor lateSettings(ConfigurableEnvironment environment) {
		return (beanFactory) -> environment.getPropertySources()
			.addFirst(new MapPropertySource("late",
					Map.of("vmworkers.workers.pidTask.jvm-options", "-Dvmworkers.test.late=true")));
	}

	@Bean
	static WorkerProbe workerProbe() {
		return new WorkerProbe();
	}

}
