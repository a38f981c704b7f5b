package dev.botshift.workload.local;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The last lines of a bot's log, to explain why it exited; reads only the end of the file, however big it grew. */
final class LogTail {
    private static final int MAX_BYTES = 8 * 1024;
    private static final int MAX_LINE = 300;

    private LogTail() {
    }

    static String of(Path log, int lines) {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            int size = (int) Math.min(length, MAX_BYTES);
            byte[] bytes = new byte[size];
            file.seek(length - size);
            file.readFully(bytes);
            List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
            return all.subList(Math.max(0, all.size() - lines), all.size()).stream()
                    .map(l -> l.length() > MAX_LINE ? l.substring(0, MAX_LINE) + "..." : l)
                    .collect(Collectors.joining("\n  | ", "  | ", ""));
        } catch (IOException e) {
            return "  (no log at " + log + ")";
        }
    }
}
