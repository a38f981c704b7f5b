package dev.botshift.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * One image for CLI, controller and router, built two ways (Jib, Dockerfile) that must agree: entrypoint
 * {@code botshift}, the non-root uid the manifests run it as. Building it needs a registry or a daemon; what the
 * built tar holds is checked by {@link ImageIT}.
 */
class ImageConfigTest {
    @Test
    void jibAndDockerfileAgreeOnEntrypointAndUser() throws Exception {
        ImageConfig jib = ImageConfig.jib();
        assertThat(jib.entrypoint()).containsExactly(ImageConfig.SCRIPT);
        assertThat(ImageConfig.dockerfile("ENTRYPOINT")).containsExactly("[\"" + ImageConfig.SCRIPT + "\"]");
        assertThat(ImageConfig.dockerfile("USER")).containsExactly(jib.user());
        assertThat(ImageConfig.dockerfile("COPY")).anySatisfy(c -> assertThat(c)
                .isEqualTo("--chmod=755 orchestrator/src/main/jib" + ImageConfig.SCRIPT + " " + ImageConfig.SCRIPT));
        assertThat(jib.scriptMode()).isEqualTo("755");
        Path script = Path.of(jib.extraDirectory() + ImageConfig.SCRIPT);
        assertThat(script).exists();
        assertThat(Files.isExecutable(script)).as("executable in git too (a Dockerfile COPY keeps the mode)").isTrue();
    }

    @Test
    void theImageRunsAsTheUserTheManifestsRequire() throws Exception {
        String uid = ImageConfig.jib().user().split(":")[0];
        for (String manifest : new String[]{"manifests/router/deployment.yaml", "manifests/job/deploy-job.yaml"}) {
            String text = Files.readString(ImageConfig.REPO.resolve(manifest));
            assertThat(text).as(manifest).contains("runAsUser: " + uid).contains("runAsNonRoot: true");
        }
    }
}
