package io.vmworkers.autoconfigure.jdbc;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Stands for Spring Boot's {@code JdbcConnectionDetails} (same simple name, fewer methods), which
 * this module does not depend on.
 */
public interface JdbcConnectionDetails extends ConnectionDetails {

	String getJdbcUrl();

}
