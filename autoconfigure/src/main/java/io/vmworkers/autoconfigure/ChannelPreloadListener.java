package io.vmworkers.autoconfigure;

import io.vmworkers.channel.SharedRing;

import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.context.ApplicationListener;

/**
 * Has the channel's native binding loaded on another thread from the moment the application
 * starts, so that a master does not wait for it before it launches its first worker.
 */
public class ChannelPreloadListener implements ApplicationListener<ApplicationStartingEvent> {

	@Override
	public void onApplicationEvent(ApplicationStartingEvent event) {
		SharedRing.preloadInBackground();
	}

}
