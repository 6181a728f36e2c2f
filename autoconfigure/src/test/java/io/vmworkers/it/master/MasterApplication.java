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
		// How a test wants this master to end: a batch-style exit, or a halt that skips every hook.
		String end = System.getProperty("test.master.end", "");
		if (end.equals("exit")) {
			System.exit(0);
		}
		if (end.equals("halt")) {
			Runtime.getRuntime().halt(0);
		}
		Thread.sleep(Long.MAX_VALUE);
	}

	@Bean
	CommandLineRunner reportWorker(MasterTask task) {
		return (args) -> System.out.println("WORKER-PID " + task.pid());
	}

}
