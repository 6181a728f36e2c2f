package io.vmworkers.it.roles;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * An application with everything a worker must not run: runners, scheduled methods, listeners and
 * unrelated beans. Each counts, in its own JVM, how often it ran.
 */
@SpringBootApplication
@EnableScheduling
public class RolesApplication {

	/** The bean of the actuator's endpoint auto-configuration, named after its class. */
	static final String ENDPOINT_CONFIGURATION = "org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration";

	/** Spring MVC's auto-configuration, conditional on a servlet web application. */
	static final String WEB_MVC_CONFIGURATION = "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration";

	static final Map<String, AtomicInteger> EVENTS = new ConcurrentHashMap<>();

	static void count(String event) {
		EVENTS.computeIfAbsent(event, (key) -> new AtomicInteger()).incrementAndGet();
	}

	static Map<String, Integer> counts() {
		Map<String, Integer> counts = new TreeMap<>();
		EVENTS.forEach((key, value) -> counts.put(key, value.get()));
		return counts;
	}

	@Bean
	CommandLineRunner commandLineRunner() {
		return (args) -> count("commandLineRunner");
	}

	@Bean
	ApplicationRunner applicationRunner() {
		return (args) -> count("applicationRunner");
	}

	@Bean
	ApplicationListener<ContextRefreshedEvent> refreshListener() {
		return (event) -> count("applicationListener");
	}

	@Component
	static class Ticker {

		@Scheduled(fixedDelay = 20)
		void tick() {
			count("scheduled");
		}

	}

	@Component
	static class ReadyListener {

		@EventListener(ApplicationReadyEvent.class)
		void ready() {
			count("eventListener");
		}

	}

	@Component
	static class Unrelated {

		Unrelated() {
			count("unrelatedBean");
		}

	}

	@Component
	static class Helper {

		Helper() {
			count("helperBean");
		}

		String help() {
			return "helped";
		}

	}

}
