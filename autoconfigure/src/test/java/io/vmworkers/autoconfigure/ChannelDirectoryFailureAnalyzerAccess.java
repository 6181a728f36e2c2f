package io.vmworkers.autoconfigure;

import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Lets tests in other packages run the package-private analyzer.
 */
public final class ChannelDirectoryFailureAnalyzerAccess {

	public FailureAnalysis analyze(Throwable failure) {
		return new ChannelDirectoryFailureAnalyzer().analyze(failure);
	}

}
