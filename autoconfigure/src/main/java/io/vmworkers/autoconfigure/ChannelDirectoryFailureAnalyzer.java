package io.vmworkers.autoconfigure;

import io.vmworkers.channel.ChannelDirectoryException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a channel directory that cannot hold the workers' channels, and what to change.
 */
class ChannelDirectoryFailureAnalyzer extends AbstractFailureAnalyzer<ChannelDirectoryException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ChannelDirectoryException cause) {
		return new FailureAnalysis("vmworkers cannot create worker channels: " + cause.getMessage() + ".",
				"Point vmworkers.channel.directory at a writable tmpfs directory with room for two rings per worker"
						+ " (on Linux /dev/shm; in a container raise its size, e.g. docker --shm-size), or lower"
						+ " vmworkers.channel.capacity.",
				cause);
	}

}
