package dev.botshift.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image Jib builds ({@code target/jib-image.tar}): its configuration, the files its layers hold, and that its
 * entrypoint starts the CLI and the router from the image's own class path. This machine has no registry, so
 * {@code .ci/run} builds the tar on an empty base ({@code -Djib.from.image=scratch}): everything but the JRE, which
 * the real base image ({@code eclipse-temurin:17-jre}) brings. Without the tar the test is skipped, saying how to
 * build it; in CI its absence fails.
 */
class ImageIT {
    static final Path TAR = ImageConfig.REPO.resolve("orchestrator/target/jib-image.tar");
    static final String BUILD = "mvn -B -pl orchestrator verify (it builds the tar before the integration tests)";

    @TempDir
    static Path root;
    static JsonNode config;
    static List<String> listing = new ArrayList<>();

    @BeforeAll
    static void unpack() throws Exception {
        if (System.getenv("CI") != null) {
            assertThat(TAR).as("the image tar; .ci/run builds it with: " + BUILD).exists();
        }
        Assumptions.assumeTrue(Files.exists(TAR), "no image tar; build it with: " + BUILD);
        Path image = Files.createDirectories(root.resolve("image"));
        run(image, "tar", "xf", TAR.toString());
        JsonNode manifest = new ObjectMapper().readTree(image.resolve("manifest.json").toFile()).get(0);
        config = new ObjectMapper().readTree(image.resolve(manifest.get("Config").asText()).toFile());
        Path fs = Files.createDirectories(root.resolve("fs"));
        for (JsonNode layer : manifest.get("Layers")) {
            Path file = image.resolve(layer.asText());
            listing.addAll(run(fs, "tar", "tzvf", file.toString()).lines().toList());
            run(fs, "tar", "xzf", file.toString());
        }
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
        return out;
    }

    @Test
    void configurationIsTheOneJibWasGiven() throws Exception {
        ImageConfig jib = ImageConfig.jib();
        List<String> entrypoint = new ArrayList<>();
        config.path("config").path("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
        assertThat(entrypoint).isEqualTo(jib.entrypoint());
        assertThat(config.path("config").path("User").asText()).isEqualTo(jib.user());
    }

    @Test
    void layersHoldTheEntrypointTheClassesAndEveryLibrary() throws Exception {
        assertThat(listing).anySatisfy(l -> assertThat(l).startsWith("-rwxr-xr-x").endsWith(" usr/local/bin/botshift"));
        assertThat(Files.readString(root.resolve("fs/app/jib-main-class-file")).strip()).isEqualTo("dev.botshift.cli.Main");
        assertThat(root.resolve("fs/app/classes/dev/botshift/cli/Main.class")).exists();
        assertThat(root.resolve("fs/app/resources/botshift/manifests/bot/deployment.yaml")).exists();
        String classpath = Files.readString(root.resolve("fs/app/jib-classpath-file")).strip();
        for (String entry : classpath.split(":")) {
            assertThat(root.resolve("fs" + entry)).as("class path entry " + entry + " is in the image").exists();
        }
        assertThat(classpath).contains("/app/libs/picocli-", "/app/libs/kubernetes-client-");
    }

    @Test
    void theEntrypointRunsTheCliAndTheRouterFromTheImagesClassPath() throws Exception {
        // The class path file names /app/...; here the image's /app is under the temp dir, so a copy names that.
        Path app = root.resolve("fs/app");
        Path rebased = Files.createDirectories(root.resolve("rebased"));
        Files.writeString(rebased.resolve("jib-classpath-file"),
                Files.readString(app.resolve("jib-classpath-file")).replace("/app/", app + "/"));
        Path java = Path.of(System.getProperty("java.home"), "bin");
        for (String[] args : new String[][]{{"--version"}, {"router", "--help"}}) {
            List<String> command = new ArrayList<>(List.of(root.resolve("fs/usr/local/bin/botshift").toString()));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("BOTSHIFT_APP_DIR", rebased.toString());
            pb.environment().put("PATH", java + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).containsAnyOf("botshift", "Usage: botshift router");
        }
    }
}
