package dev.botshift.workload.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botshift.core.Slot;
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
 * Reads and atomically replaces {@code <dir>/<slot>.json}, so a crash never leaves a half-written record. The
 * folder and those between it and the state directory must be ours and closed to others ({@link PrivateDirectory}).
 */
final class SlotFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path stateDir;
    private final Path dir;

    SlotFiles(Path stateDir, Path dir) {
        this.stateDir = stateDir;
        this.dir = dir;
    }


    Path dir() {
        return dir;
    }

    Optional<SlotFile> load(Slot slot) {
        Path file = file(slot);
        SlotFile read;
        try {
            read = JSON.readValue(Files.readAllBytes(file), SlotFile.class);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (JsonProcessingException e) {
            read = null;
        } catch (IOException e) {
            throw IoFailures.of("read", file, e);
        }
        if (read == null) {
            throw new LocalFileException("workload record " + file + " is corrupt: stop the " + slot.label()
                    + " processes it listed by hand (their logs are in " + dir.resolve("logs") + "), remove it, and"
                    + " run the command again (docs/local-platform.md)");
        }
        return Optional.of(read);
    }

    void save(Slot slot, SlotFile content) {
        Path file = file(slot);
        PrivateDirectory.ensure(stateDir, dir);
        try {
            PrivateFiles.replace(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(content));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + file, e);
        }
    }

    void delete(Slot slot) {
        PrivateFiles.delete(file(slot));
    }

    private Path file(Slot slot) {
        return dir.resolve(slot.label() + ".json");
    }
}
