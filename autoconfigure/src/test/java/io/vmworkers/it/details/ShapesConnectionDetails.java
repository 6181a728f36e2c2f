package io.vmworkers.it.details;

import java.util.List;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Connection details of a service, shaped like Spring Boot's: values, nested value interfaces
 * and lists of them.
 */
public interface ShapesConnectionDetails extends ConnectionDetails {

	String getUrl();

	int getPort();

	Credentials getCredentials();

	List<Node> getNodes();

	default String getScheme() {
		return getUrl().substring(0, getUrl().indexOf(':'));
	}

	interface Credentials {

		String getUser();

		String getPassword();

	}

	interface Node {

		String getHost();

	}

}
