package io.vmworkers.it.perprocess;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * An application with an in-memory database, as many have in development and tests.
 */
@SpringBootApplication
public class PerProcessApplication {

	@Bean
	DataSource dataSource() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1");
		return dataSource;
	}

}
