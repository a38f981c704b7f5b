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

    /**
     * Slots ({@code a}, {@code b}) name storage; what a user reads speaks of roles (blue, green). Every string literal
     * of the main sources is checked for prose that mixes the two ("the blue slot", "slot b").
     */
    @Test
    void userFacingStringsNeverNameASlot() throws java.io.IOException {
        java.util.regex.Pattern literal = java.util.regex.Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
        java.util.regex.Pattern slotProse = java.util.regex.Pattern.compile(
                "(?i)\\b(blue|green) slot\\b|\\bslot (a|b)\\b|\\b(colour|color) (a|b)\\b");
        java.util.List<String> found = new java.util.ArrayList<>();
        java.nio.file.Path root = java.nio.file.Path.of("src/main/java");
        try (var files = java.nio.file.Files.walk(root)) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                java.util.List<String> lines = java.nio.file.Files.readAllLines(file);
                for (int n = 0; n < lines.size(); n++) {
                    java.util.regex.Matcher m = literal.matcher(lines.get(n));
                    while (m.find()) {
                        if (slotProse.matcher(m.group(1)).find()) {
                            found.add(root.relativize(file) + ":" + (n + 1) + ": " + m.group());
                        }
                    }
                }
            }
        }
        org.assertj.core.api.Assertions.assertThat(found).as("strings naming a slot where a role is meant").isEmpty();
    }
}
