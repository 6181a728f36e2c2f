package io.vmworkers.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.vmworkers.protocol.LaunchParameters;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * In a worker that uses the master's database, leaves the database's schema and data to the
 * master: no SQL initialization scripts, no Hibernate schema generation (a {@code create-drop}
 * would drop the master's tables when the worker stops), no Flyway or Liquibase migration. A
 * worker uses the master's database when it got the master's connection details (see
 * {@link MasterConnectionDetails}) for a database (JDBC or R2DBC), or when
 * {@code spring.datasource.url} names a database that is not in memory; an in-memory database is
 * the worker's own and is initialized as usual.
 */
final class SharedDatabaseSchema implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	private static final Log logger = LogFactory.getLog(SharedDatabaseSchema.class);

	static final String PROPERTY_SOURCE = "vmworkersSharedDatabaseSchema";

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		ConfigurableEnvironment environment = context.getEnvironment();
		if (!"worker".equals(environment.getProperty(LaunchParameters.ROLE_PROPERTY))) {
			return;
		}
		String url = environment.getProperty("spring.datasource.url");
		String details = System.getenv(MasterConnectionDetails.VARIABLE);
		boolean masterDetails = details != null
				&& MasterConnectionDetails.includesDatabase(details, context.getClassLoader());
		if (!sharesMastersDatabase(url, masterDetails)) {
			return;
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.sql.init.mode", "never");
		properties.put("spring.jpa.hibernate.ddl-auto", "none");
		properties.put("spring.flyway.enabled", "false");
		properties.put("spring.liquibase.enabled", "false");
		environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, properties));
		logger.info("Worker '" + environment.getProperty(LaunchParameters.NAME_PROPERTY)
				+ "' uses the master's database" + ((url != null) ? " (" + url + ")" : "") + ": it leaves its schema and data to the master "
				+ properties.keySet().stream().map((key) -> key + "=" + properties.get(key)).toList());
	}

	/**
	 * Decides whether a worker uses its master's database.
	 * @param url the worker's {@code spring.datasource.url}, or null
	 * @param masterDetails whether the worker got its master's connection details for a database
	 * @return true unless the database is the worker's own (in memory) or there is none configured
	 */
	static boolean sharesMastersDatabase(String url, boolean masterDetails) {
		if (url != null) {
			return !InMemoryDatabaseWarning.isInMemory(url);
		}
		return masterDetails;
	}

}
