package dev.botshift.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaCommandTest {
    @TempDir
    Path dir;

    @Test
    void theArchiveIsUsedOnlyForOneJarWithAnArchiveBesideIt() throws IOException {
        Path jar = Files.createFile(dir.resolve("botshift.jar"));
        assertThat(JavaCommand.classDataOptions(jar.toString())).as("no archive yet").isEmpty();

        Files.createFile(dir.resolve("botshift.jsa"));
        assertThat(JavaCommand.classDataOptions(jar.toString())).containsExactly(
                "-XX:SharedArchiveFile=" + dir.resolve("botshift.jsa").toAbsolutePath(), "-Xlog:cds=off",
                "-Xlog:cds+dynamic=off");
        assertThat(JavaCommand.classDataOptions(jar + java.io.File.pathSeparator + dir.resolve("other.jar")))
                .as("a class path of several entries").isEmpty();
        assertThat(JavaCommand.classDataOptions(dir.toString())).as("a folder of classes").isEmpty();
        assertThat(JavaCommand.classDataOptions(null)).isEmpty();
    }

    @Test
    void theCommandIsThisJavaWithTheOptionsAndThisClassPath() {
        List<String> command = JavaCommand.of(List.of("-XX:+UseSerialGC"));
        assertThat(command.get(0)).isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        assertThat(command.subList(1, 3)).as("out of heap it ends at once; then the caller's options")
                .containsExactly("-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC");
        assertThat(command.subList(command.size() - 2, command.size()))
                .containsExactly("-cp", System.getProperty("java.class.path"));
    }
}
