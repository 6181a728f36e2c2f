package io.vmworkers.it.failure;

import io.vmworkers.it.support.WorkerProbe;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
public class FailureApplication {

	/** Fails the context after the workers were launched and before the dispatcher exists. */
	@Bean
	@ConditionalOnProperty("vmworkers.test.fail-before-beans")
	static BeanPostProcessor failingPostProcessor() {
		throw new IllegalStateException("failing with " + WorkerProbe.workers().size() + " worker(s) running");
	}

}
