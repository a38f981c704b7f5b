package dev.botshift.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.core.LocalFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules a state directory must meet, as its owner sees them (the other user's view: LocalAttackerIT). */
class PrivateDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void missingDirectoriesAreCreatedForTheirOwnerOnly() throws Exception {
        Path state = dir.resolve("a/b/.botshift");
        PrivateDirectory.ensure(state, state.resolve("app/router"));
        for (Path p : new Path[] {dir.resolve("a"), state, state.resolve("app"), state.resolve("app/router")}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString()).isEqualTo("rwx------");
        }
    }

    @Test
    void aDirectoryOthersCanWriteIsRefusedWithWhatToDo() throws Exception {
        Path state = Files.createDirectory(dir.resolve("state"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwx---"));
        assertThatThrownBy(() -> PrivateDirectory.ensure(state)).isInstanceOf(LocalFileException.class)
                .hasMessageContaining(state.toString()).hasMessageContaining("its group").hasMessageContaining("chmod 700");

        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        Path sub = Files.createDirectory(state.resolve("app"));
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> PrivateDirectory.ensure(state, sub.resolve("router")))
                .isInstanceOf(LocalFileException.class).hasMessageContaining(sub.toString());
        assertThat(sub.resolve("router")).doesNotExist();
    }

    @Test
    void aStickyWorldWritableParentIsFineButANonStickyOneIsNot() throws Exception {
        Path tmpLike = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(tmpLike, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> PrivateDirectory.ensure(tmpLike.resolve(".botshift")))
                .isInstanceOf(LocalFileException.class).hasMessageContaining("sticky");

        Files.setAttribute(tmpLike, "unix:mode", 01777);
        PrivateDirectory.ensure(tmpLike.resolve(".botshift"));
        assertThat(tmpLike.resolve(".botshift")).isDirectory();
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("state"), "x");
        assertThatThrownBy(() -> PrivateDirectory.ensure(file)).isInstanceOf(LocalFileException.class)
                .hasMessageContaining("not a directory");
    }

    @Test
    void writesNeverFollowALinkPlantedAtTheTarget() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim"), "precious");
        Path state = PrivateDirectory.ensure(dir.resolve("state"));
        Files.createSymbolicLink(state.resolve("state.json"), victim);
        Files.createSymbolicLink(state.resolve("router.log"), victim);

        PrivateFiles.replace(state.resolve("state.json"), "{}".getBytes());
        assertThat(Files.isSymbolicLink(state.resolve("state.json"))).as("the link itself was replaced").isFalse();
        assertThatThrownBy(() -> PrivateFiles.openForAppend(state.resolve("router.log")))
                .isInstanceOf(LocalFileException.class).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> PrivateFiles.append(state.resolve("router.log"), "x"))
                .isInstanceOf(LocalFileException.class);
        assertThat(Files.readString(victim)).isEqualTo("precious");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("state.json"))))
                .isEqualTo("rw-------");
    }
}
