package io.vmworkers.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts test applications with a web server on a free port, and calls them over HTTP.
 */
public final class Http {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	private Http(String base) {
		this.base = base;
	}

	/**
	 * Starts an application as a master with small workers and a web server on a free loopback port.
	 * @param source the application class
	 * @param properties extra properties
	 * @return the running context
	 */
	public static ConfigurableApplicationContext start(Class<?> source, String... properties) {
		return new SpringApplicationBuilder(source).web(WebApplicationType.SERVLET)
			.properties(Workers.JVM_OPTIONS, "vmworkers.inherit-jvm-options=false", "spring.main.banner-mode=off",
					"server.address=127.0.0.1", "server.port=0",
					// As Workers.start: the build loads both cores; tests of the watch set their own.
					"vmworkers.heartbeat-timeout=10s")
			.properties(properties)
			.run();
	}

	/**
	 * Returns a client of a running application.
	 * @param context the application
	 * @return the client
	 */
	public static Http to(ConfigurableApplicationContext context) {
		return new Http("http://127.0.0.1:" + context.getEnvironment().getRequiredProperty("local.server.port"));
	}

	public Response get(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).GET());
	}

	public Response post(String path, String body) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	private Response send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = this.client.send(request.timeout(Duration.ofSeconds(60)).build(),
					HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * An answer.
	 * @param status the HTTP status
	 * @param body the body's text
	 */
	public record Response(int status, String body) {

		public JsonNode json() {
			return json.readTree(this.body);
		}

	}

}
