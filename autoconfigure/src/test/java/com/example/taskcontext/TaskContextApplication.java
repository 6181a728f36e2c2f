package com.example.taskcontext;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;

/**
 * An application whose tasks run with a task context: one needs nothing of the application, the
 * other needs its helper. Outside {@code io.vmworkers}, whose classes the codec always allows, and
 * with a second auto-configuration package whose classes cross the channel.
 */
@SpringBootApplication
@AutoConfigurationPackage(basePackages = "com.example.shapes")
public class TaskContextApplication {

	/** A bean of the application, which component scanning finds. */
	@Component
	public static class Helper {

		public String help() {
			return "helped";
		}

	}

}
