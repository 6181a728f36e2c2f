package io.vmworkers.autoconfigure;

import java.util.List;

import io.vmworkers.autoconfigure.jdbc.JdbcConnectionDetails;
import io.vmworkers.it.details.ShapesConnectionDetails;
import io.vmworkers.it.details.ShapesTask;
import io.vmworkers.it.detailsmaster.ServiceConnections;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.vmworkers.PropertiesShapesConnectionDetails;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class MasterConnectionDetailsTests {

	@Test
	void workerGetsBeansOfTheSameInterfacesAndValuesUnderTheMastersNames() {
		try (AnnotationConfigApplicationContext master = new AnnotationConfigApplicationContext(ServiceConnections.class)) {
			assertThat(MasterConnectionDetails.defined(master.getBeanFactory())).isTrue();
			String encoded = MasterConnectionDetails.capture(master.getBeanFactory());
			DefaultListableBeanFactory worker = new DefaultListableBeanFactory();
			MasterConnectionDetails.register(worker, encoded, getClass().getClassLoader());
			assertThat(worker.getBeanNamesForType(ShapesConnectionDetails.class))
				.containsExactly("vmworkers.master.shapesConnectionDetails");
			assertThat(worker.getBeanDefinition("vmworkers.master.shapesConnectionDetails").isPrimary()).isTrue();
			assertThat(ShapesTask.describe(worker.getBean(ShapesConnectionDetails.class)))
				.isEqualTo(ShapesTask.describe(master.getBean(ShapesConnectionDetails.class)));
		}
	}

	@Test
	void workerKnowsWhetherItGotItsMastersDatabase() {
		try (AnnotationConfigApplicationContext master = new AnnotationConfigApplicationContext(ServiceConnections.class)) {
			String shapes = MasterConnectionDetails.capture(master.getBeanFactory());
			assertThat(MasterConnectionDetails.includesDatabase(shapes, getClass().getClassLoader())).isFalse();
		}
		try (AnnotationConfigApplicationContext master = new AnnotationConfigApplicationContext()) {
			master.registerBean("jdbc", JdbcConnectionDetails.class, () -> () -> "jdbc:postgresql://db/orders");
			master.refresh();
			String jdbc = MasterConnectionDetails.capture(master.getBeanFactory());
			assertThat(MasterConnectionDetails.includesDatabase(jdbc, getClass().getClassLoader())).isTrue();
		}
	}

	@Test
	void masterWithoutConnectionDetailsPassesNothing() {
		try (AnnotationConfigApplicationContext master = new AnnotationConfigApplicationContext()) {
			master.refresh();
			assertThat(MasterConnectionDetails.defined(master.getBeanFactory())).isFalse();
			assertThat(MasterConnectionDetails.capture(master.getBeanFactory())).isNull();
		}
	}

	@Test
	void connectionDetailsBootDerivesFromTheApplicationsPropertiesAreNotPassed() {
		// The worker derives them from the same properties; an embedded database's URL would name
		// the master's in-memory database, which the worker cannot reach.
		try (AnnotationConfigApplicationContext master = new AnnotationConfigApplicationContext()) {
			master.registerBean("shapesConnectionDetails", PropertiesShapesConnectionDetails.class);
			master.refresh();
			assertThat(MasterConnectionDetails.defined(master.getBeanFactory())).isFalse();
			assertThat(MasterConnectionDetails.capture(master.getBeanFactory())).isNull();
		}
	}

	@Test
	void valueThatCannotBePassedFailsNamingItsBeanAndMethod() {
		try (AnnotationConfigApplicationContext master = new AnnotationConfigApplicationContext()) {
			master.registerBean("opaque", OpaqueConnectionDetails.class, () -> () -> new Handle());
			master.refresh();
			assertThatIllegalStateException().isThrownBy(() -> MasterConnectionDetails.capture(master.getBeanFactory()))
				.withMessageContaining("opaque.getHandle()")
				.withMessageContaining(Handle.class.getName())
				.withMessageContaining("configure the worker's connection in its properties");
		}
	}

	interface OpaqueConnectionDetails extends ConnectionDetails {

		Handle getHandle();

	}

	static final class Handle {

		final List<String> parts = List.of("a");

	}

}
