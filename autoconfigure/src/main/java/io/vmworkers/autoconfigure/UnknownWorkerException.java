package io.vmworkers.autoconfigure;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * Thrown at start-up when {@code vmworkers.workers.<name>.*} is set for a name that is no
 * {@code @WorkerTask} bean, even but for case, dashes and underscores, most often a typo: its
 * settings would otherwise be ignored in silence.
 */
final class UnknownWorkerException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private static final String ACTION = "rename the entry to a worker's bean name (countingTask for a class"
			+ " CountingTask, or the name given in @WorkerTask(\"...\")), or remove it";

	private final String description;

	private final String action;

	UnknownWorkerException(Set<String> unknown, Set<String> workers) {
		this(description(unknown, workers), ACTION);
	}

	private UnknownWorkerException(String description, String action) {
		super(description + "; " + action);
		this.description = description;
		this.action = action;
	}

	/** What is wrong, naming the entries and the known workers. */
	String description() {
		return this.description;
	}

	/** What to change. */
	String action() {
		return this.action;
	}

	private static String description(Set<String> unknown, Set<String> workers) {
		String entries = unknown.stream()
			.map((name) -> VmWorkersProperties.PREFIX + ".workers." + name)
			.collect(Collectors.joining(", "));
		return entries + ((unknown.size() == 1) ? " names no @WorkerTask bean" : " name no @WorkerTask bean")
				+ (workers.isEmpty() ? "; the application has no @WorkerTask bean" : "; the workers are " + workers);
	}

}
