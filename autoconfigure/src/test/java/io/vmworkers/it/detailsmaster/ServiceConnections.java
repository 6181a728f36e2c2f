package io.vmworkers.it.detailsmaster;

import java.util.List;

import io.vmworkers.it.details.ShapesConnectionDetails;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What a test's {@code @ServiceConnection} gives the master only: connection details of a service
 * started for the test, outside the application's own configuration.
 */
@Configuration(proxyBeanMethods = false)
public class ServiceConnections {

	@Bean
	ShapesConnectionDetails shapesConnectionDetails() {
		return new ShapesConnectionDetails() {

			@Override
			public String getUrl() {
				return "shapes://127.0.0.1:49153/test";
			}

			@Override
			public int getPort() {
				return 49153;
			}

			@Override
			public Credentials getCredentials() {
				return new Credentials() {

					@Override
					public String getUser() {
						return "test";
					}

					@Override
					public String getPassword() {
						return "s3cret";
					}

				};
			}

			@Override
			public List<Node> getNodes() {
				return List.of(() -> "node-a", () -> "node-b");
			}

		};
	}

}
