package dev.botshift.traffic.polling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botshift.os.PrivateFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The offset the bridge has committed, in {@value #FILE_NAME}. The API learns an offset only at the next
 * {@code getUpdates}; a bridge killed in between would be handed the acknowledged updates again. Starting from this
 * file narrows that window to the last write (an update is re-delivered at most once: bots deduplicate by
 * {@code update_id}). The file names the bot it belongs to: an offset recorded for another bot (the plan's token
 * changed) is ignored, since polling with it would confirm, and so drop, the new bot's updates below it.
 */
final class OffsetFile {
    static final String FILE_NAME = "polling-offset.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final String botId;
    private Long written;

    OffsetFile(Path stateDir, String botId) {
        this.file = stateDir.resolve(FILE_NAME);
        this.botId = botId;
    }

    /** The recorded offset, or null when there is none (or it is unreadable: the API's own record then rules). */
    Long read() {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (!botId.equals(node.path("bot").asText())) {
                return null;
            }
            written = node.path("offset").isIntegralNumber() ? node.get("offset").asLong() : null;
            return written;
        } catch (IOException e) {
            return null;
        }
    }

    /** Writes {@code offset} if it changed since the last write. */
    void write(Long offset) {
        if (offset == null || offset.equals(written)) {
            return;
        }
        try {
            PrivateFiles.replace(file, JSON.writeValueAsBytes(JSON.createObjectNode().put("bot", botId)
                    .put("offset", offset)));
            written = offset;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
    }
}
