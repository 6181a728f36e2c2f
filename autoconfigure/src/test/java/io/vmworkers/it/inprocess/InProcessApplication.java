package io.vmworkers.it.inprocess;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
public class InProcessApplication {

	/** A bean of the master the task uses: a worker in process sees the master's beans. */
	@Bean
	Greeting greeting() {
		return new Greeting("hello");
	}

	public record Greeting(String word) {
	}

}
