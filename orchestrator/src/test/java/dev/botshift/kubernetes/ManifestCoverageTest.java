package dev.botshift.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every file in {@code manifests/} is used by at least one test: a test names it by its path relative to
 * {@code manifests/} (e.g. {@code "router/rbac.yaml"}) and loads it. A new manifest without a test fails here.
 */
class ManifestCoverageTest {
    private static final Path REPO = Path.of(System.getProperty("botshift.repo", ".."));

    @Test
    void everyManifestIsNamedByATest() throws IOException {
        String tests = testSources();
        List<String> manifests;
        Path root = REPO.resolve("manifests");
        try (Stream<Path> files = Files.walk(root)) {
            manifests = files.filter(Files::isRegularFile).map(f -> root.relativize(f).toString().replace('\\', '/'))
                    .sorted().toList();
        }
        assertThat(manifests).isNotEmpty()
                .allSatisfy(m -> assertThat(tests.contains("\"" + m + "\"") || tests.contains("\"manifests/" + m + "\""))
                        .as("a test that loads manifests/" + m).isTrue());
    }

    private static String testSources() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(REPO.resolve("orchestrator/src/test/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.getFileName().toString().equals("ManifestCoverageTest.java")).toList()) {
                all.append(Files.readString(f));
            }
        }
        return all.toString();
    }
}
