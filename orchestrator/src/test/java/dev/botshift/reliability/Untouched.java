package dev.botshift.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Everything a refused command must leave as it was: the database's tables and recorded changesets, the state
 * directory (state document, lock, workloads' files, the router's config) byte for byte, and the processes of this
 * JVM (no bot or router started).
 */
record Untouched(List<String> schema, Map<String, String> stateFiles, Set<Long> children) {

    static Untouched capture(String database, Path stateDir) {
        return new Untouched(SharedPostgres.schemaSnapshot(database), files(stateDir), liveChildren());
    }

    void assertSame(String database, Path stateDir) {
        assertThat(SharedPostgres.schemaSnapshot(database)).as("schema (tables, DATABASECHANGELOG)").isEqualTo(schema);
        assertThat(files(stateDir)).as("state dir: state, lock, workloads, router config").isEqualTo(stateFiles);
        assertThat(liveChildren()).as("processes started (bots, router)").isSubsetOf(children);
    }

    private static Set<Long> liveChildren() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    static Map<String, String> files(Path dir) {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(dir)) {
            return out;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                out.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "dir" : sha(Files.readAllBytes(p)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String sha(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
