package dev.botshift.workload.local;

import dev.botshift.core.VisibleText;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The last lines of a bot's log, to explain why it exited; reads only the end of the file, however big it grew, and
 * only what its last start wrote (an instance's log is appended across starts, and a crash report must not quote an
 * earlier release).
 */
final class LogTail {
    /** The first line of every start, written by {@link BotLauncher}: where this start's output begins. */
    static final String START_MARK = " botshift: starting ";
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
            int start = 0;
            for (int i = all.size() - 1; i >= 0; i--) {
                if (all.get(i).contains(START_MARK)) {
                    start = i;
                    break;
                }
            }
            all = all.subList(start, all.size());
            return all.subList(Math.max(0, all.size() - lines), all.size()).stream()
                    .map(l -> VisibleText.cut(l, MAX_LINE))
                    .collect(Collectors.joining("\n  | ", "  | ", ""));
        } catch (IOException e) {
            return "  (no log at " + log + ")";
        }
    }
}
