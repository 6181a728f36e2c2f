package io.vmworkers.dispatch.worker;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DeferredImportSelector;
import org.springframework.context.annotation.Import;
import org.springframework.core.type.AnnotationMetadata;

/**
 * The source of a worker with a task context ({@code vmworkers.workers.<name>.context=task}) instead of the
 * application's class: no component scan and no auto-configuration but the configurations listed
 * in {@code META-INF/spring/io.vmworkers.dispatch.worker.TaskContextConfiguration.imports}
 * (vmworkers' own, which gives the worker its runtime and channel, property placeholders, and SSL
 * bundles for a worker whose connection to the master uses one).
 * They are imported after the task's own configuration, as auto-configurations are.
 */
@Configuration(proxyBeanMethods = false)
@Import(TaskContextConfiguration.Imports.class)
public class TaskContextConfiguration {

	static class Imports implements DeferredImportSelector, BeanClassLoaderAware {

		private ClassLoader classLoader;

		@Override
		public void setBeanClassLoader(ClassLoader classLoader) {
			this.classLoader = classLoader;
		}

		@Override
		public String[] selectImports(AnnotationMetadata importingClassMetadata) {
			return ImportCandidates.load(TaskContextConfiguration.class, this.classLoader)
				.getCandidates()
				.toArray(String[]::new);
		}

	}

}
