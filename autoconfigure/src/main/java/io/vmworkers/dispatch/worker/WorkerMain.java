package io.vmworkers.dispatch.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vmworkers.channel.ChannelFiles;
import io.vmworkers.channel.SharedRing;
import io.vmworkers.dispatch.WorkerContext;
import io.vmworkers.process.ParentWatch;
import io.vmworkers.protocol.LaunchParameters;

import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.ApplicationContextFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotatedBeanDefinitionReader;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Main class of a worker JVM: runs the application's {@code @SpringBootConfiguration} class in the
 * worker role (no web server, lazy beans, no runners), or with a task context only the task's class
 * and vmworkers' worker configuration, then serves the channel until the master closes it or dies. Not the application's own {@code main}, so whatever that does after
 * {@code SpringApplication.run} returns does not happen in workers.
 */
public final class WorkerMain {

	/** Exit code of a worker whose master disappeared. */
	static final int MASTER_GONE_EXIT_CODE = 3;

	/** Exit code of a worker whose application failed to start. */
	static final int STARTUP_FAILED_EXIT_CODE = 2;

	private static final long EXIT_GRACE_MILLIS = 500;

	/** The class whose presence makes Spring Boot add trace and span ids to log lines. */
	private static final String TRACER_CLASS = "io.micrometer.tracing.Tracer";

	private WorkerMain() {
	}

	public static void main(String[] args) throws Exception {
		// The second core is mostly idle while Spring starts on this thread.
		SharedRing.preloadInBackground();
		String name = required(LaunchParameters.NAME_PROPERTY);
		// A worker on TCP has no ring file to remove when its master dies.
		List<Path> files = "tcp".equals(System.getProperty(LaunchParameters.TRANSPORT_PROPERTY)) ? List.of()
				: List.of(Path.of(required(LaunchParameters.INBOUND_PROPERTY)),
						Path.of(required(LaunchParameters.OUTBOUND_PROPERTY)));
		String masterPid = System.getProperty(LaunchParameters.MASTER_PID_PROPERTY);
		if (masterPid != null) {
			String masterStartTicks = System.getProperty(LaunchParameters.MASTER_START_TICKS_PROPERTY);
			ParentWatch.start(Long.parseLong(masterPid), (masterStartTicks != null) ? Long.valueOf(masterStartTicks) : null,
					System.in, () -> masterGone(files));
		}
		else if (!files.isEmpty() || !"tcp".equals(System.getProperty(LaunchParameters.TRANSPORT_PROPERTY))) {
			throw new IllegalStateException("vmworkers: a worker on this machine needs its master's pid ("
					+ LaunchParameters.MASTER_PID_PROPERTY + "); a worker is started by its master, not by hand");
		}
		// Else placed elsewhere: the end of its connection to the master ends it.
		ClassLoader classLoader = Thread.currentThread().getContextClassLoader();
		String taskClass = System.getProperty(LaunchParameters.TASK_CLASS_PROPERTY);
		SpringApplication application = (taskClass != null)
				? taskContext(name, ClassUtils.forName(taskClass, classLoader))
				: new SpringApplication(ClassUtils.forName(required(LaunchParameters.SOURCE_PROPERTY), classLoader));
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		application.setDefaultProperties(defaultProperties());
		ConfigurableApplicationContext context;
		try {
			context = application.run(args);
		}
		catch (Throwable ex) {
			// Boot has logged the failure to stdout; the master shows it with the exit code.
			explainTaskContext(name, taskClass, ex);
			System.exit(STARTUP_FAILED_EXIT_CODE);
			return;
		}
		WorkerRuntime runtime;
		try {
			runtime = context.getBean(WorkerRuntime.class);
			Runtime.getRuntime().addShutdownHook(new Thread(runtime::announceExit, "vmworkers-exit-notice"));
			runtime.start(System.getenv(LaunchParameters.TOKEN_VARIABLE));
		}
		catch (Throwable ex) {
			ex.printStackTrace();
			explainTaskContext(name, taskClass, ex);
			System.exit(STARTUP_FAILED_EXIT_CODE);
			return;
		}
		runtime.awaitClose();
		context.close();
		System.exit(0);
	}

	/** A start that failed for want of a bean, in a task context: the task needs one it does not have. */
	private static void explainTaskContext(String name, String taskClass, Throwable failure) {
		if (taskClass != null && NestedExceptionUtils.getMostSpecificCause(failure) instanceof NoSuchBeanDefinitionException) {
			System.err.println("vmworkers: worker '" + name + "' has a task context ("
					+ WorkerContext.taskContextProperties(name) + "): it holds " + taskClass
					+ ", what vmworkers gives a worker and the application's configuration, but no other bean"
					+ " of the application; set the context to 'application' for a task that needs one");
		}
	}

	/**
	 * The application of a worker with a task context: {@link TaskContextConfiguration} and the
	 * task's class, under the worker's name, in a context that is never a web application. The
	 * master's auto-configuration packages are registered as the worker's, so that its codec allows
	 * the same classes as the master's.
	 */
	private static SpringApplication taskContext(String name, Class<?> taskClass) {
		String[] packages = StringUtils
			.commaDelimitedListToStringArray(System.getProperty(LaunchParameters.PACKAGES_PROPERTY, ""));
		SpringApplication application = new SpringApplication(TaskContextConfiguration.class);
		application.setApplicationContextFactory(
				ApplicationContextFactory.ofContextClass(AnnotationConfigApplicationContext.class));
		application.addInitializers((context) -> {
			BeanDefinitionRegistry registry = (BeanDefinitionRegistry) context;
			AutoConfigurationPackages.register(registry, packages);
			new AnnotatedBeanDefinitionReader(registry, context.getEnvironment()).registerBean(taskClass, name);
		});
		return application;
	}

	/**
	 * Defaults a worker applies unless the application sets them: no bean is created that the task
	 * does not need, and log lines are short, because the master adds time and the worker's name,
	 * but keep the trace when the application traces.
	 */
	static Map<String, Object> defaultProperties() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.main.lazy-initialization", "true");
		properties.put("spring.main.log-startup-info", "false");
		properties.put("spring.jmx.enabled", "false");
		properties.put("spring.output.ansi.enabled", "never");
		// With tracing on the class path, Boot's correlation column ([trace id-span id]) is kept:
		// the master shows the worker's lines in the trace of the call or data that caused them.
		properties.put("logging.pattern.console", "%-5level %logger{36} [%thread] "
				+ (ClassUtils.isPresent(TRACER_CLASS, WorkerMain.class.getClassLoader()) ? "%correlationId" : "")
				+ "%msg%n");
		return properties;
	}

	private static String required(String property) {
		String value = System.getProperty(property);
		if (value == null || value.isBlank()) {
			throw new IllegalStateException("system property " + property
					+ " is missing: io.vmworkers.dispatch.worker.WorkerMain is started by a vmworkers master,"
					+ " not by hand");
		}
		return value;
	}

	private static void masterGone(List<Path> files) {
		// The master could not remove the channel files: it is dead.
		for (Path file : files) {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				System.err.println("vmworkers: could not delete " + file + ": " + ex.getMessage());
			}
		}
		// The last worker out removes the master's run directory.
		if (!files.isEmpty()) {
			ChannelFiles.deleteIfEmpty(files.get(0).getParent());
		}
		Thread halt = new Thread(() -> {
			try {
				Thread.sleep(EXIT_GRACE_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			// Shutdown hooks did not finish in time: a worker must not outlive its master.
			Runtime.getRuntime().halt(MASTER_GONE_EXIT_CODE);
		}, "vmworkers-halt");
		halt.setDaemon(true);
		halt.start();
		System.exit(MASTER_GONE_EXIT_CODE);
	}

}
