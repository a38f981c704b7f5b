package dev.botshift.os;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.testing.Slow;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data archive with real JVMs: it maps when it matches its jar, and a stale one changes nothing a command
 * prints (a command's standard output is its JSON).
 */
@Slow
class ClassDataArchiveTest {
    @TempDir
    Path dir;

    @Test
    void aStaleArchiveLeavesStandardOutputAsItIs() throws Exception {
        Path jar = probeJar(dir.resolve("probe.jar"));
        Path archive = dir.resolve("probe.jsa");
        List<String> dump = new ArrayList<>(List.of(java(), "-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off",
                "-Xlog:cds+dynamic=off", "-cp", jar.toString(), ArchiveProbe.class.getName()));
        assertThat(run(dump)).isEqualTo("probe ran\n");
        assertThat(archive).isRegularFile();

        List<String> withArchive = new ArrayList<>(List.of(java()));
        withArchive.addAll(JavaCommand.classDataOptions(jar.toString()));
        withArchive.addAll(List.of("-Xshare:on", "-cp", jar.toString(), ArchiveProbe.class.getName()));
        assertThat(run(withArchive)).as("the archive maps (-Xshare:on fails otherwise)").isEqualTo("probe ran\n");

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60))); // the jar was rebuilt
        List<String> stale = new ArrayList<>(List.of(java()));
        stale.addAll(JavaCommand.classDataOptions(jar.toString()));
        stale.addAll(List.of("-cp", jar.toString(), ArchiveProbe.class.getName()));
        assertThat(run(stale)).isEqualTo("probe ran\n");

        List<String> unsilenced = new ArrayList<>(List.of(java(), "-XX:SharedArchiveFile=" + archive, "-cp",
                jar.toString(), ArchiveProbe.class.getName()));
        assertThat(run(unsilenced)).as("what the JVM prints without the options").contains("[warning][cds");
    }

    private static Path probeJar(Path jar) throws IOException {
        String entry = ArchiveProbe.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             var in = ArchiveProbe.class.getClassLoader().getResourceAsStream(entry)) {
            j.putNextEntry(new JarEntry(entry));
            in.transferTo(j);
            j.closeEntry();
        }
        return jar;
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s", command).isZero();
        return out;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
