package io.vmworkers.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationListener;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The channel's native binding is loaded while the application starts: the listener must be
 * where Spring Boot finds listeners before any bean exists.
 */
class ChannelPreloadListenerTests {

	@Test
	void listenerIsRegisteredForEveryApplicationStart() {
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
			.load(ApplicationListener.class)).anyMatch(ChannelPreloadListener.class::isInstance);
	}

}
