package io.vmworkers.autoconfigure;

import io.vmworkers.protocol.LaunchParameters;
import org.junit.jupiter.api.Test;

import org.springframework.context.support.GenericApplicationContext;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class SharedDatabaseSchemaTests {

	@Test
	void workerLeavesTheSchemaOfADatabaseItSharesToTheMaster() {
		GenericApplicationContext context = worker("jdbc:postgresql://db:5432/orders");
		new SharedDatabaseSchema().initialize(context);
		assertThat(context.getEnvironment().getProperty("spring.sql.init.mode")).isEqualTo("never");
		assertThat(context.getEnvironment().getProperty("spring.jpa.hibernate.ddl-auto")).isEqualTo("none");
		assertThat(context.getEnvironment().getProperty("spring.flyway.enabled")).isEqualTo("false");
		assertThat(context.getEnvironment().getProperty("spring.liquibase.enabled")).isEqualTo("false");
	}

	@Test
	void workerInitializesItsOwnInMemoryDatabase() {
		GenericApplicationContext context = worker("jdbc:h2:mem:orders");
		new SharedDatabaseSchema().initialize(context);
		assertThat(context.getEnvironment().getPropertySources().contains(SharedDatabaseSchema.PROPERTY_SOURCE))
			.isFalse();
	}

	@Test
	void masterKeepsItsConfiguration() {
		GenericApplicationContext context = new GenericApplicationContext();
		context.setEnvironment(new MockEnvironment().withProperty("spring.datasource.url", "jdbc:postgresql://db/orders"));
		new SharedDatabaseSchema().initialize(context);
		assertThat(context.getEnvironment().getProperty("spring.jpa.hibernate.ddl-auto")).isNull();
	}

	@Test
	void aWorkerSharesItsMastersDatabaseWhenItGotItsDetailsOrNamesOneNotInMemory() {
		assertThat(SharedDatabaseSchema.sharesMastersDatabase(null, true)).isTrue();
		assertThat(SharedDatabaseSchema.sharesMastersDatabase(null, false)).isFalse();
		assertThat(SharedDatabaseSchema.sharesMastersDatabase("jdbc:h2:file:./data/orders", false)).isTrue();
		assertThat(SharedDatabaseSchema.sharesMastersDatabase("jdbc:HSQLDB:MEM:orders", true)).isFalse();
		assertThat(SharedDatabaseSchema.sharesMastersDatabase("jdbc:derby:memory:orders;create=true", false))
			.isFalse();
	}

	private static GenericApplicationContext worker(String url) {
		GenericApplicationContext context = new GenericApplicationContext();
		context.setEnvironment(new MockEnvironment().withProperty(LaunchParameters.ROLE_PROPERTY, "worker")
			.withProperty(LaunchParameters.NAME_PROPERTY, "ordersTask")
			.withProperty("spring.datasource.url", url)
			.withProperty("spring.jpa.hibernate.ddl-auto", "create-drop"));
		return context;
	}

}
