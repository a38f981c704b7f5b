package dev.botshift.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rules of docs/architecture.md that a compiler does not check. */
class ArchitectureTest {
    static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.botshift");
    }

    @Test
    void theRolloutCoreDoesNoIo() {
        noClasses().that().resideInAnyPackage("dev.botshift.rollout..", "dev.botshift.core..")
                .or().haveFullyQualifiedName("dev.botshift.analysis.Judge")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.fabric8..", "liquibase..", "java.sql..", "java.net.http..", "org.eclipse.jetty..",
                        "java.nio.file..", "java.io.File", "java.net..")
                .because("the rollout core decides; the adapters act")
                .check(classes);
    }

    @Test
    void theCoreKnowsPortsNotAdapters() {
        noClasses().that().resideInAnyPackage("dev.botshift.rollout..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.botshift.schema.*..", "dev.botshift.workload.*..",
                        "dev.botshift.traffic.*..", "dev.botshift.analysis.*..", "dev.botshift.state.*..",
                        "dev.botshift.platform..", "dev.botshift.cli..", "dev.botshift.kubernetes..")
                .check(classes);
    }

    @Test
    void portPackagesDoNotDependOnTheirAdapters() {
        for (String port : new String[] {"workload", "traffic", "analysis", "state", "schema"}) {
            noClasses().that().resideInAPackage("dev.botshift." + port)
                    .should().dependOnClassesThat().resideInAPackage("dev.botshift." + port + ".*..")
                    .allowEmptyShould(true)
                    .check(classes);
        }
    }

    @Test
    void capabilitiesHaveNoCycles() {
        slices().matching("dev.botshift.(**)").should().beFreeOfCycles().check(classes);
    }
}
