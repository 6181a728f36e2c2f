package io.vmworkers.it.taskcontext;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;

/**
 * An application whose tasks run with a task context: one needs nothing of the application, the
 * other needs its helper.
 */
@SpringBootApplication
public class TaskContextApplication {

	/** A bean of the application, which component scanning finds. */
	@Component
	public static class Helper {

		public String help() {
			return "helped";
		}

	}

	/** A class of the application that crosses the channel. */
	public record Point(int x, int y) {
	}

}
