package io.vmworkers;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Observability sits above the dispatcher and below auto-configuration, and reads workers only
 * through the public dispatch API.
 */
class ObservabilityArchitectureTests {

	private final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.vmworkers");

	@Test
	void nothingBelowObservabilityDependsOnIt() {
		noClasses().that()
			.resideInAnyPackage("io.vmworkers.channel..", "io.vmworkers.codec..", "io.vmworkers.process..",
					"io.vmworkers.annotation..", "io.vmworkers.protocol..", "io.vmworkers.dispatch..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.vmworkers.actuate..")
			.check(this.classes);
	}

	@Test
	void observabilityDependsNeitherOnAutoConfigurationNorOnTheCore() {
		noClasses().that()
			.resideInAPackage("io.vmworkers.actuate..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.vmworkers.autoconfigure..", "io.vmworkers.channel..", "io.vmworkers.codec..",
					"io.vmworkers.process..")
			.check(this.classes);
	}

}
