package com.example.taskcontext;

import io.vmworkers.annotation.WorkerTask;

import org.springframework.context.annotation.Profile;

/**
 * Needs a bean of the application, which a task context does not have.
 */
@WorkerTask
@Profile("needy")
public class NeedyTask {

	private final TaskContextApplication.Helper helper;

	NeedyTask(TaskContextApplication.Helper helper) {
		this.helper = helper;
	}

	public String help() {
		return this.helper.help();
	}

}
