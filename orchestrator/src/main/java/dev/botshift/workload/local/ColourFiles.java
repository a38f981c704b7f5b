package dev.botshift.workload.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botshift.core.Colour;
import dev.botshift.core.LocalFileException;
import dev.botshift.os.IoFailures;
import dev.botshift.os.PrivateDirectory;
import dev.botshift.os.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads and atomically replaces {@code <dir>/<colour>.json}, so a crash never leaves a half-written record. The
 * folder and those between it and the state directory must be ours and closed to others ({@link PrivateDirectory}).
 */
final class ColourFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path stateDir;
    private final Path dir;

    ColourFiles(Path stateDir, Path dir) {
        this.stateDir = stateDir;
        this.dir = dir;
    }


    Path dir() {
        return dir;
    }

    Optional<ColourFile> load(Colour colour) {
        Path file = file(colour);
        ColourFile read;
        try {
            read = JSON.readValue(Files.readAllBytes(file), ColourFile.class);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (JsonProcessingException e) {
            read = null;
        } catch (IOException e) {
            throw IoFailures.of("read", file, e);
        }
        if (read == null) {
            throw new LocalFileException("workload record " + file + " is corrupt: stop the " + colour.label()
                    + " processes it listed by hand (their logs are in " + dir.resolve("logs") + "), remove it, and"
                    + " run the command again (docs/local-platform.md)");
        }
        return Optional.of(read);
    }

    void save(Colour colour, ColourFile content) {
        Path file = file(colour);
        PrivateDirectory.ensure(stateDir, dir);
        try {
            PrivateFiles.replace(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(content));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + file, e);
        }
    }

    void delete(Colour colour) {
        PrivateFiles.delete(file(colour));
    }

    private Path file(Colour colour) {
        return dir.resolve(colour.label() + ".json");
    }
}
