package org.springframework.boot.vmworkers;

import java.util.List;

import io.vmworkers.it.details.ShapesConnectionDetails;

/**
 * Stands for Spring Boot's connection details derived from the application's properties (such as
 * {@code PropertiesJdbcConnectionDetails}): same package root and name pattern.
 */
public class PropertiesShapesConnectionDetails implements ShapesConnectionDetails {

	@Override
	public String getUrl() {
		return "shapes://from-properties";
	}

	@Override
	public int getPort() {
		return 1;
	}

	@Override
	public Credentials getCredentials() {
		return null;
	}

	@Override
	public List<Node> getNodes() {
		return List.of();
	}

}
