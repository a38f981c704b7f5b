package dev.botshift.workload.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botshift.core.Colour;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/** Reads and atomically replaces {@code <dir>/<colour>.json}, so a crash never leaves a half-written record. */
final class ColourFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    ColourFiles(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Optional<ColourFile> load(Colour colour) {
        Path file = file(colour);
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(file), ColourFile.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (see docs/local-platform.md to clean up by hand)", e);
        }
    }

    void save(Colour colour, ColourFile content) {
        Path file = file(colour);
        try {
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, "." + colour.label() + ".", ".tmp");
            Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(content));
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    void delete(Colour colour) {
        try {
            Files.deleteIfExists(file(colour));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file(colour), e);
        }
    }

    private Path file(Colour colour) {
        return dir.resolve(colour.label() + ".json");
    }
}
