package io.vmworkers.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@code vmworkers.workers.<name>} entry that names no worker, and what to change.
 */
class UnknownWorkerFailureAnalyzer extends AbstractFailureAnalyzer<UnknownWorkerException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnknownWorkerException cause) {
		String action = cause.action();
		return new FailureAnalysis("vmworkers settings for an unknown worker: " + cause.description() + ".",
				Character.toUpperCase(action.charAt(0)) + action.substring(1) + ".", cause);
	}

}
