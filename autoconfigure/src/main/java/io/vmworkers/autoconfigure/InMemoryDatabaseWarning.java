package io.vmworkers.autoconfigure;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Warns, in a worker, about a {@link DataSource} of an in-memory database: the worker has a
 * database of its own, created empty (or by the schema and data scripts run again) in its own JVM,
 * which neither the master nor any other worker sees. The URL is read from the data source's
 * {@code getJdbcUrl()}, {@code getUrl()} or {@code getURL()}; nothing connects to the database.
 */
final class InMemoryDatabaseWarning implements BeanPostProcessor {

	private static final Log logger = LogFactory.getLog(InMemoryDatabaseWarning.class);

	/** URL prefixes of the in-memory modes of H2, HSQLDB and Derby. */
	private static final List<String> IN_MEMORY = List.of("jdbc:h2:mem:", "jdbc:hsqldb:mem:", "jdbc:derby:memory:");

	private static final List<String> URL_GETTERS = List.of("getJdbcUrl", "getUrl", "getURL");

	private final String workerName;

	InMemoryDatabaseWarning(String workerName) {
		this.workerName = workerName;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof DataSource) {
			String url = url(bean);
			if (url != null && isInMemory(url)) {
				logger.warn("Worker '" + this.workerName + "' started an in-memory database of its own (bean '"
						+ beanName + "', " + url + "): it lives in this worker's JVM only, so the master and other"
						+ " workers do not see what is written to it, nor it theirs. Point the application at a shared"
						+ " database (a server, or a file), or keep the database work on the master (@OnMaster).");
			}
		}
		return bean;
	}

	static boolean isInMemory(String url) {
		String lower = url.toLowerCase(Locale.ROOT);
		return IN_MEMORY.stream().anyMatch(lower::startsWith);
	}

	private static String url(Object dataSource) {
		for (String getter : URL_GETTERS) {
			Method method = ClassUtils.getMethodIfAvailable(dataSource.getClass(), getter);
			if (method != null && method.getReturnType() == String.class) {
				try {
					return (String) ReflectionUtils.invokeMethod(method, dataSource);
				}
				catch (RuntimeException ex) {
					// A data source that cannot tell its URL yet: nothing to warn about.
					return null;
				}
			}
		}
		return null;
	}

}
