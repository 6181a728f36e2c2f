package io.vmworkers.it.master;

import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A master run as its own process by the tests. Its main goes on after {@code run} returns, as
 * many applications' mains do: that must happen in the master only.
 */
@SpringBootApplication
public class MasterApplication {

	public static void main(String[] args) throws InterruptedException {
		SpringApplication.run(MasterApplication.class, args);
		System.out.println("MAIN-AFTER-RUN " + ProcessHandle.current().pid());
		Thread.sleep(Long.MAX_VALUE);
	}

	@Bean
	CommandLineRunner reportWorker(MasterTask task) {
		return (args) -> System.out.println("WORKER-PID " + task.pid());
	}

}
