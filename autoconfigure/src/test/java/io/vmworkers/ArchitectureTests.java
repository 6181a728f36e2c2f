package io.vmworkers;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

class ArchitectureTests {

	private final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.vmworkers");

	@Test
	void coreImportsNothingFromSpring() {
		noClasses().that()
			.resideInAnyPackage("io.vmworkers.channel..", "io.vmworkers.codec..", "io.vmworkers.process..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..")
			.check(this.classes);
	}

	@Test
	void layersPointDownOnly() {
		noClasses().that()
			.resideInAnyPackage("io.vmworkers.channel..", "io.vmworkers.codec..", "io.vmworkers.process..",
					"io.vmworkers.annotation..", "io.vmworkers.protocol..", "io.vmworkers.dispatch..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.vmworkers.autoconfigure..")
			.check(this.classes);
		noClasses().that()
			.resideInAnyPackage("io.vmworkers.channel..", "io.vmworkers.codec..", "io.vmworkers.process..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.vmworkers.protocol..", "io.vmworkers.dispatch..")
			.check(this.classes);
	}

	@Test
	void protocolKnowsNoDispatch() {
		noClasses().that()
			.resideInAPackage("io.vmworkers.protocol..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.vmworkers.dispatch..")
			.check(this.classes);
	}

	@Test
	void apiDependsOnNeitherRuntimeNorProtocol() {
		noClasses().that()
			.resideInAPackage("io.vmworkers.dispatch")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.vmworkers.dispatch.master..", "io.vmworkers.dispatch.worker..",
					"io.vmworkers.protocol..")
			.check(this.classes);
	}

	@Test
	void masterAndWorkerDoNotDependOnEachOther() {
		noClasses().that()
			.resideInAPackage("io.vmworkers.dispatch.master..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.vmworkers.dispatch.worker..")
			.check(this.classes);
		noClasses().that()
			.resideInAPackage("io.vmworkers.dispatch.worker..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.vmworkers.dispatch.master..")
			.check(this.classes);
	}

	@Test
	void onlyTheTracingPackageKnowsMicrometerObservation() {
		// The channel's own code sees traces through the Tracing interface: nothing of a tracer's
		// on the call path of an application without one.
		noClasses().that()
			.resideInAnyPackage("io.vmworkers.protocol..", "io.vmworkers.dispatch..", "io.vmworkers.channel..",
					"io.vmworkers.codec..", "io.vmworkers.process..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.micrometer.observation..", "io.micrometer.tracing..")
			.check(this.classes);
	}

	@Test
	void onlyTheAutoConfigurationChoosesTheInProcessMode() {
		noClasses().that()
			.resideOutsideOfPackages("io.vmworkers.autoconfigure..", "io.vmworkers.dispatch.inprocess..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.vmworkers.dispatch.inprocess..")
			.check(this.classes);
	}

	@Test
	void packagesAreFreeOfCycles() {
		slices().matching("io.vmworkers.(**)").should().beFreeOfCycles().check(this.classes);
	}

}
