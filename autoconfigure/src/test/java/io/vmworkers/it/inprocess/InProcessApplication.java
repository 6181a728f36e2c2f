package io.vmworkers.it.inprocess;

import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;

@SpringBootApplication
public class InProcessApplication {

	/** A bean of the master the task uses: a worker in process sees the master's beans. */
	@Bean
	Greeting greeting() {
		return new Greeting("hello");
	}

	/** Counts the master's refreshes: a worker's context in process must not add its own. */
	@Bean
	RefreshCounter refreshCounter() {
		return new RefreshCounter();
	}

	public record Greeting(String word) {
	}

	public static class RefreshCounter {

		final AtomicInteger refreshes = new AtomicInteger();

		@EventListener
		void onRefresh(ContextRefreshedEvent event) {
			this.refreshes.incrementAndGet();
		}

	}

}
