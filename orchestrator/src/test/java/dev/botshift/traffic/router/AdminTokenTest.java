package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.core.LocalFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenTest {
    @TempDir
    Path dir;

    @Test
    void aTokenIs256RandomBitsStoredForItsOwnerOnly() throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            String header = AdminToken.generate().authorization();
            assertThat(header).startsWith("Bearer ");
            assertThat(header.substring(7)).matches("[A-Za-z0-9_-]{43}"); // 32 bytes, base64url
            seen.add(header);
        }
        assertThat(seen).hasSize(50);

        AdminToken token = AdminToken.generate().writeTo(dir.resolve(AdminToken.FILE_NAME));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(AdminToken.FILE_NAME))))
                .isEqualTo("rw-------");
        AdminToken read = AdminToken.readFrom(dir.resolve(AdminToken.FILE_NAME));
        assertThat(read.matches(token.authorization().substring(7))).isTrue();
        assertThat(read.matches(token.authorization().substring(7, 30))).isFalse();
        assertThat(read.matches(null)).isFalse();
        assertThat(token.toString()).doesNotContain(token.authorization().substring(7));
    }

    @Test
    void aTokenFileOthersCanReadOrThatIsALinkIsRefused() throws Exception {
        Path file = dir.resolve("token");
        AdminToken.generate().writeTo(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> AdminToken.readFrom(file)).isInstanceOf(LocalFileException.class)
                .hasMessageContaining("chmod 600");

        Path link = Files.createSymbolicLink(dir.resolve("link"), file);
        assertThatThrownBy(() -> AdminToken.readFrom(link)).isInstanceOf(LocalFileException.class)
                .hasMessageContaining("not a regular file");

        Path junk = Files.writeString(dir.resolve("junk"), "short");
        Files.setPosixFilePermissions(junk, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> AdminToken.readFrom(junk)).isInstanceOf(LocalFileException.class)
                .hasMessageContaining("does not hold a token");
    }
}
