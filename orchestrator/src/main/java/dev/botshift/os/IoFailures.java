package dev.botshift.os;

import dev.botshift.core.LocalFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns the operating system's refusals (a full disk, a read-only file system, a permission) into one line that
 * names the path and says what to do, instead of an "internal error" with a Java exception's name.
 */
public final class IoFailures {
    private IoFailures() {
    }

    /** A refusal of {@code path} as a {@link LocalFileException}; any other failure keeps its message. */
    public static LocalFileException of(String doing, Path path, IOException e) {
        return new LocalFileException(recognised(path.toString(), e)
                .orElse("cannot " + doing + " " + path + ": " + reason(e)), e);
    }

    /**
     * The same sentence for a failure that escaped as an exception, if it is one of the refusals known here
     * (the command line's last resort, so a full disk is never reported as an internal error).
     */
    public static Optional<String> describe(Throwable failure) {
        String hint = "(a file Botshift writes)";
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UncheckedIOException u && u.getMessage() != null && u.getMessage().contains("/")) {
                hint = pathIn(u.getMessage());
            }
            if (t instanceof IOException io) {
                String path = io instanceof FileSystemException fs && fs.getFile() != null ? fs.getFile() : hint;
                Optional<String> known = recognised(path, io);
                if (known.isPresent()) {
                    return known;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> recognised(String path, IOException e) {
        String reason = reason(e).toLowerCase(Locale.ROOT);
        if (reason.contains("no space left on device")) {
            return Optional.of("no space left on device: " + path + " (free some space, or use a state directory"
                    + " on another file system: --state-dir)");
        }
        if (reason.contains("disk quota exceeded")) {
            return Optional.of("disk quota exceeded: " + path + " (free some space or raise the quota)");
        }
        if (reason.contains("read-only file system")) {
            return Optional.of("read-only file system: " + path + " (use a writable --state-dir)");
        }
        if (reason.contains("too many levels of symbolic links") || reason.contains("symbolic link")) {
            return Optional.of(path + " is a symbolic link: Botshift never writes through a link in its state"
                    + " directory; remove it (and find out who planted it)");
        }
        if (e instanceof AccessDeniedException || reason.contains("permission denied")) {
            return Optional.of("permission denied: " + path + " (check its owner and mode, or use another --state-dir)");
        }
        return Optional.empty();
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Botshift's own messages name the path ("cannot write /x/state.json"). */
    private static String pathIn(String message) {
        return message.substring(message.indexOf('/')).split("[ :]")[0];
    }
}
