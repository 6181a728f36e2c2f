package com.example.taskcontext;

import com.example.shapes.Point;
import io.vmworkers.annotation.OnData;
import io.vmworkers.annotation.OnMaster;
import io.vmworkers.annotation.WorkerTask;
import io.vmworkers.channel.WorkerChannel;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Profile;

/**
 * Needs only what a task context has: its channel, the context and a property.
 */
@WorkerTask
@Profile("lean")
public class LeanTask {

	private final WorkerChannel channel;

	private final ApplicationContext context;

	private final String greeting;

	LeanTask(WorkerChannel channel, ApplicationContext context, @Value("${taskcontext.greeting}") String greeting) {
		this.channel = channel;
		this.context = context;
		this.greeting = greeting;
	}

	public String greeting() {
		return this.greeting;
	}

	public long pid() {
		return ProcessHandle.current().pid();
	}

	/**
	 * Whether this JVM's context has the application's helper bean.
	 * @return true when component scanning found it here
	 */
	public boolean hasHelper() {
		return this.context.getBeanNamesForType(TaskContextApplication.Helper.class).length > 0;
	}

	/**
	 * Whether this JVM's context has any auto-configuration of Spring Boot but property placeholders.
	 * @return the names of the Spring Boot auto-configuration beans found
	 */
	public java.util.List<String> bootAutoConfigurations() {
		return java.util.Arrays.stream(this.context.getBeanDefinitionNames())
			.filter((name) -> name.startsWith("org.springframework.boot.") && name.endsWith("AutoConfiguration"))
			.toList();
	}

	public Point mirror(Point point) {
		return new Point(point.y(), point.x());
	}

	@OnData
	void increment(Integer value) {
		this.channel.put(value + 1);
	}

	/**
	 * Runs on the master: one round trip through the channel.
	 * @param value what to send
	 * @return what the worker sent back
	 */
	@OnMaster
	public int roundTrip(int value) {
		this.channel.put(value);
		return this.channel.next();
	}

}
