package dev.botshift.traffic.polling;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botshift.os.PrivateFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The updates no bot acknowledged after the last attempt: one JSON line each in {@value #FILE_NAME} in the router's
 * state folder (mode 0600: updates are users' messages). The update is kept whole, so it can be replayed by hand
 * (docs/polling.md); the line is written before the offset moves past it, so an update is never silently dropped.
 */
final class DeadLetters {
    static final String FILE_NAME = "dead-letters.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    DeadLetters(Path stateDir) {
        this.file = stateDir.resolve(FILE_NAME);
    }

    Path file() {
        return file;
    }

    /**
     * @param chat     the conversation key, or empty
     * @param attempts deliveries tried
     * @param last     the last attempt's outcome ("HTTP 500", "timed out"…)
     */
    synchronized void write(TelegramUpdate update, String chat, int attempts, String last) {
        try {
            ObjectNode line = JSON.createObjectNode()
                    .put("at", Instant.now().toString())
                    .put("updateId", update.id())
                    .put("chat", chat)
                    .put("attempts", attempts)
                    .put("last", last);
            line.set("update", JSON.readTree(update.json()));
            PrivateFiles.append(file, JSON.writeValueAsString(line));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write update " + update.id() + " to " + file, e);
        }
    }
}
