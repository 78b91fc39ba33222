package dev.closewatch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package dependencies of DESIGN.md: {@code upstream} publishes events and never
 * knows who listens; {@code closeevent} and {@code reconnect} are pure.
 */
class ArchitectureTests {

	private final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.closewatch");

	@Test
	void featurePackagesHaveNoCycles() {
		slices().matching("dev.closewatch.(*)..").should().beFreeOfCycles().check(this.classes);
	}

	@Test
	void upstreamNeverKnowsItsListeners() {
		noClasses().that()
			.resideInAPackage("dev.closewatch.upstream..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.closewatch.history..", "dev.closewatch.metrics..", "dev.closewatch.api..",
					"dev.closewatch.demo..", "dev.closewatch.cluster..")
			.check(this.classes);
	}

	@Test
	void nothingButTheApiAndTheApplicationDependOnTheCluster() {
		noClasses().that()
			.resideOutsideOfPackages("dev.closewatch.cluster..", "dev.closewatch.api..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.closewatch.cluster..")
			.check(this.classes);
	}

	@Test
	void closeEventsAndReconnectPoliciesArePure() {
		noClasses().that()
			.resideInAnyPackage("dev.closewatch.closeevent..", "dev.closewatch.reconnect..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.closewatch.upstream..", "dev.closewatch.history..", "dev.closewatch.metrics..",
					"dev.closewatch.api..", "org.eclipse.jetty..")
			.check(this.classes);
	}

	@Test
	void historyDependsOnlyOnCloseEvents() {
		noClasses().that()
			.resideInAPackage("dev.closewatch.history..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.closewatch.upstream..", "dev.closewatch.metrics..", "dev.closewatch.api..",
					"dev.closewatch.reconnect..")
			.check(this.classes);
	}

	@Test
	void nothingButTheApiDependsOnTheApi() {
		noClasses().that()
			.resideOutsideOfPackage("dev.closewatch.api..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.closewatch.api..")
			.check(this.classes);
	}

}
