package io.vmworkers.it.taskcontext;

import java.util.concurrent.TimeUnit;

import com.example.shapes.Point;
import com.example.taskcontext.LeanTask;
import com.example.taskcontext.NeedyTask;
import com.example.taskcontext.TaskContextApplication;
import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TaskContextIntegrationTests {

	@AfterEach
	void nothingLeftBehind() {
		assertThat(Workers.children()).isEmpty();
		assertThat(Workers.leftovers()).isEmpty();
	}

	@Test
	void aTaskContextHoldsTheTaskItsChannelAndTheConfigurationOnly() {
		try (ConfigurableApplicationContext context = Workers.start(TaskContextApplication.class,
				"spring.profiles.active=lean", "vmworkers.context=task", "taskcontext.greeting=master",
				// The worker's own value (the master's programmatic properties do not reach it), and a web
				// application type that a task context ignores: it is never a web application.
				"vmworkers.workers.leanTask.jvm-options=-Dtaskcontext.greeting=hello,"
						+ "-Dspring.main.web-application-type=servlet")) {
			LeanTask task = context.getBean(LeanTask.class);
			assertThat(task.pid()).isNotEqualTo(ProcessHandle.current().pid());
			assertThat(task.greeting()).isEqualTo("hello");
			// The master has the whole application; the worker neither scanned it nor auto-configured it.
			assertThat(context.getBeanNamesForType(TaskContextApplication.Helper.class)).hasSize(1);
			assertThat(task.hasHelper()).isFalse();
			// Placeholders, and SSL bundles for a worker on TCP with TLS: nothing else of Boot's.
			assertThat(task.bootAutoConfigurations()).containsExactly(
					"org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration",
					"org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration");
			// The classes of all the master's packages cross, as they do with an application context.
			assertThat(task.mirror(new Point(1, 2))).isEqualTo(new Point(2, 1));
			assertThat(task.roundTrip(41)).isEqualTo(42);
		}
	}

	@Test
	void aTaskThatNeedsAnotherBeanFailsToStartNamingTheSetting() {
		assertThatException()
			.isThrownBy(() -> Workers.start(TaskContextApplication.class, "spring.profiles.active=needy",
					"vmworkers.workers.needyTask.context=task"))
			.withStackTraceContaining("worker 'needyTask'")
			.withStackTraceContaining("exit code 2")
			.withStackTraceContaining("set the context to 'application' for a task that needs one");
	}

	@Test
	void theSameTaskStartsWithAnApplicationContext() {
		try (ConfigurableApplicationContext context = Workers.start(TaskContextApplication.class,
				"spring.profiles.active=needy")) {
			NeedyTask task = context.getBean(NeedyTask.class);
			assertThat(task.help()).isEqualTo("helped");
		}
	}

}
