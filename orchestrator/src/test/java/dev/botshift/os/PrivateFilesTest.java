package dev.botshift.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {
    @TempDir
    Path dir;

    @Test
    void aLogStillWrittenIsCutInPlaceAndItsWriterGoesOnAtTheNewEnd() throws Exception {
        Path log = dir.resolve("a-0.log");
        try (OutputStream writer = new FileOutputStream(log.toFile(), true)) { // O_APPEND, as a bot's stdout
            writer.write("x".repeat(150).getBytes(StandardCharsets.UTF_8));
            writer.flush();
            assertThat(PrivateFiles.cutIfOver(log, 200)).as("under the limit").isFalse();
            writer.write("y".repeat(100).getBytes(StandardCharsets.UTF_8));
            writer.flush();

            assertThat(PrivateFiles.cutIfOver(log, 200)).isTrue();

            assertThat(Files.readString(dir.resolve("a-0.log.1"))).isEqualTo("x".repeat(150) + "y".repeat(100));
            assertThat(Files.size(log)).isZero();
            writer.write("after".getBytes(StandardCharsets.UTF_8));
            writer.flush();
        }
        assertThat(Files.readString(log)).as("the writer's next line, at the start: no hole").isEqualTo("after");
        assertThat(Files.getPosixFilePermissions(dir.resolve("a-0.log.1")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a-0.log", "a-0.log.1");
        }
    }

    @Test
    void aLinkIsNeitherFollowedNorCut() throws Exception {
        Path target = Files.writeString(dir.resolve("victim"), "z".repeat(500));
        Path link = Files.createSymbolicLink(dir.resolve("b-0.log"), target);
        assertThat(PrivateFiles.cutIfOver(link, 100)).isFalse();
        assertThat(Files.readString(target)).hasSize(500);
        assertThat(PrivateFiles.cutIfOver(dir.resolve("absent.log"), 100)).isFalse();
    }
}
