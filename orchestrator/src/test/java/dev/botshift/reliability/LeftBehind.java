package dev.botshift.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botshift.traffic.router.RouterProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A safety net for failing tests: a case that was not refused may have started a detached router (it outlives this
 * JVM); stop the ones recorded under {@code dir}, by their recorded pid only.
 */
final class LeftBehind {
    private LeftBehind() {
    }

    static void stopRouters(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            // never through a link: a planted one (LocalAttackerIT) points at a file that is not a router record
            for (Path f : files.filter(p -> p.getFileName().toString().equals(RouterProcess.STATE_FILE))
                    .filter(p -> !Files.isSymbolicLink(p)).toList()) {
                long pid = new ObjectMapper().readTree(f.toFile()).path("pid").asLong();
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
