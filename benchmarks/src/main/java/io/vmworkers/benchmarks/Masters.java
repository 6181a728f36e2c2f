package io.vmworkers.benchmarks;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the benchmark application as a vmworkers master with one group's workers.
 */
final class Masters {

	/** Worker heap, and quiet workers: their output would be relayed through the master's log. */
	static final String WORKER_JVM_OPTIONS = "-Xmx256m,-Dlogging.level.root=WARN";

	private Masters() {
	}

	/**
	 * Starts a master; it returns once all of the profile's workers are ready.
	 * @param profile the group's profile, which selects its {@code @WorkerTask} beans
	 * @return the running context; close it to stop the workers
	 */
	static ConfigurableApplicationContext start(String profile) {
		return start(profile, new String[0]);
	}

	/**
	 * Starts a master with more properties; it returns once all of the profile's workers are ready.
	 * @param profile the group's profile, which selects its {@code @WorkerTask} beans
	 * @param properties more properties, {@code name=value}
	 * @return the running context; close it to stop the workers
	 */
	static ConfigurableApplicationContext start(String profile, String... properties) {
		return new SpringApplicationBuilder(BenchmarkApplication.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.profiles(profile)
			.properties("vmworkers.jvm-options=" + WORKER_JVM_OPTIONS, "logging.level.root=WARN")
			.properties(properties)
			.run();
	}

}
