package io.vmworkers.it.compose;

import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * An application with Spring Boot's Docker Compose support (profile {@code compose} names its
 * compose file). Run by a test it is a test run; run by its main, a development run.
 */
@SpringBootApplication
public class ComposeApplication {

	public static void main(String[] args) throws InterruptedException {
		SpringApplication.run(ComposeApplication.class, args);
		Thread.sleep(Long.MAX_VALUE);
	}

	@Bean
	CommandLineRunner reportWorker(PingTask task) {
		return (args) -> System.out.println("WORKER-PID " + task.pid());
	}

}
