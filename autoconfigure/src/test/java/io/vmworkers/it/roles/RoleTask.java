package io.vmworkers.it.roles;

import java.util.Map;

import io.vmworkers.annotation.WorkerTask;

import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

@WorkerTask
public class RoleTask {

	private final RolesApplication.Helper helper;

	private final ApplicationContext context;

	RoleTask(RolesApplication.Helper helper, ApplicationContext context) {
		this.helper = helper;
		this.context = context;
	}

	/**
	 * Returns what ran in this JVM.
	 * @return event counts
	 */
	public Map<String, Integer> counts() {
		return RolesApplication.counts();
	}

	public boolean hasWebServer() {
		return this.context instanceof WebServerApplicationContext;
	}

	public boolean hasDispatcher() {
		return this.context.getBeanNamesForType(io.vmworkers.dispatch.VmDispatcher.class).length > 0;
	}

	/**
	 * Whether the actuator's endpoint infrastructure was configured in this JVM.
	 * @return true when its auto-configuration was imported
	 */
	public boolean hasEndpointConfiguration() {
		return this.context.containsBean(RolesApplication.ENDPOINT_CONFIGURATION);
	}

	/**
	 * Whether Spring MVC's auto-configuration was parsed in this JVM, even if its conditions then
	 * failed: the condition evaluation report has an outcome for every class it parsed.
	 * @return true when its conditions were evaluated
	 */
	public boolean evaluatedWebMvcConfiguration() {
		ConditionEvaluationReport report = ConditionEvaluationReport
			.get(((ConfigurableApplicationContext) this.context).getBeanFactory());
		return report.getConditionAndOutcomesBySource().containsKey(RolesApplication.WEB_MVC_CONFIGURATION);
	}

	public String help() {
		return this.helper.help();
	}

}
