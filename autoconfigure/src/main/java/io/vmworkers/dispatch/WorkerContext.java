package io.vmworkers.dispatch;

/**
 * What a worker JVM's Spring context holds besides its {@code @WorkerTask} bean.
 */
public enum WorkerContext {

	/**
	 * The whole application in the worker role: its {@code @SpringBootApplication} class, with its
	 * component scan and auto-configuration, lazily, so that the task gets every bean it may need.
	 */
	APPLICATION,

	/**
	 * Only the task's class (with its own {@code @Bean} methods and imports), what vmworkers gives a
	 * worker (its {@code WorkerChannel}), the application's configuration ({@code @Value},
	 * placeholders, profiles) and logging: no component scan and no other auto-configuration, so
	 * the worker starts faster. A task that needs another bean of the application fails to start,
	 * saying so.
	 */
	TASK;

	/**
	 * Names the properties that give a worker a task context, for messages that tell the user
	 * which setting to change.
	 * @param workerName the worker's name
	 * @return the per-worker and the global property
	 */
	public static String taskContextProperties(String workerName) {
		return "vmworkers.workers." + workerName + ".context=task, or vmworkers.context=task";
	}

}
