package dev.botshift.os;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writing the files of a {@link PrivateDirectory}: never through a symbolic link, never readable by others.
 *
 * <ul>
 *   <li>{@link #replace}: whole-file replacement that a reader or a crash never sees half done (a temporary file
 *   with a random name, created exclusively, mode {@code 0600}; fsync; atomic rename over the target, which
 *   replaces a link rather than following it; fsync of the folder).</li>
 *   <li>{@link #openForAppend} / {@link #append}: logs, created {@code 0600} if missing and refused if the name is
 *   a link.</li>
 *   <li>{@link #setAsideIfOver} / {@link #cutIfOver}: a log past its limit, renamed before its next writer starts,
 *   or copied and truncated while its writer runs.</li>
 * </ul>
 * Failures of the operating system (a full disk...) come out as {@link dev.botshift.core.LocalFileException}
 * naming the path (see {@link IoFailures}).
 */
public final class PrivateFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final FileAttribute<?>[] PRIVATE = POSIX
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
            : new FileAttribute<?>[0];

    /**
     * How far a log may grow: past it a bot's log is set aside when the next instance of its slot and index starts
     * ({@link #setAsideIfOver}), and any log a process is still writing is cut in place by the guard
     * ({@link #cutIfOver}); a log then takes at most about twice this.
     */
    public static final long LOG_LIMIT_BYTES = 10L << 20;

    private PrivateFiles() {
    }

    /** Replaces {@code target} with {@code content} atomically (see the class comment). */
    public static void replace(Path target, byte[] content) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            // createTempFile: a random name, O_EXCL, mode 0600 on POSIX
            temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
            fsyncDirectory(dir);
        } catch (IOException e) {
            throw IoFailures.of("write", target, e);
        } finally {
            deleteLeftover(temp);
        }
    }

    /**
     * Makes sure {@code file} is a regular file of ours that output can be appended to (a child process's log,
     * handed to {@link ProcessBuilder.Redirect#appendTo}); creates it {@code 0600}.
     *
     * @return the file
     */
    public static Path openForAppend(Path file) {
        try (FileChannel ignored = FileChannel.open(file, appendOptions(), PRIVATE)) {
            return file;
        } catch (IOException e) {
            throw IoFailures.of("open the log", file, e);
        }
    }

    /**
     * Sets a log aside when it has grown past {@code limitBytes}: renamed to {@code <name>.1} (replacing the one set
     * aside before, a link there included, never followed), so that the next writer starts a fresh file and a log
     * takes at most twice the limit. Only for a log nothing writes to any more: a process still appending would
     * follow the renamed file.
     */
    public static void setAsideIfOver(Path log, long limitBytes) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(log, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isRegularFile() && attributes.size() > limitBytes) {
                Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (java.nio.file.NoSuchFileException absent) {
            // a first start: nothing to set aside
        } catch (IOException e) {
            throw IoFailures.of("set aside the log", log, e);
        }
    }

    /**
     * Cuts a log that a process is still appending to once it has grown past {@code limitBytes}: its content is copied
     * to {@code <name>.1} (replacing the one before, a link there included, never followed) and the file is truncated
     * in place, so the writer, whose descriptor appends, goes on at the new end of the same file. What the writer adds
     * between the copy and the cut is lost (logrotate's {@code copytruncate} has the same window: milliseconds for
     * 10 MiB). A link or anything but a regular file is left alone.
     *
     * @return whether it was cut
     */
    public static boolean cutIfOver(Path log, long limitBytes) {
        Path temp = null;
        try {
            BasicFileAttributes attributes = Files.readAttributes(log, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile() || attributes.size() <= limitBytes) {
                return false;
            }
            try (FileChannel in = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                temp = Files.createTempFile(log.toAbsolutePath().getParent(), "." + log.getFileName() + ".", ".tmp");
                try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    long size = in.size();
                    for (long done = 0; done < size; ) {
                        done += in.transferTo(done, size - done, out);
                    }
                }
                Files.move(temp, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
                temp = null;
                in.truncate(0);
            }
            return true;
        } catch (java.nio.file.NoSuchFileException absent) {
            return false; // gone meanwhile: nothing to cut
        } catch (IOException e) {
            throw IoFailures.of("cut the log", log, e);
        } finally {
            deleteLeftover(temp);
        }
    }

    /** A temporary file of a write that failed, if any: removed (a stray one is harmless and named as such). */
    private static void deleteLeftover(Path temp) {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the write already failed, and that failure is what the caller reports
            }
        }
    }

    /** Appends one line to {@code file} (created {@code 0600}; never through a link). */
    public static void append(Path file, String line) {
        try (FileChannel out = FileChannel.open(file, appendOptions(), PRIVATE)) {
            ByteBuffer buffer = ByteBuffer.wrap((line + System.lineSeparator()).getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        } catch (IOException e) {
            throw IoFailures.of("write", file, e);
        }
    }

    /**
     * Reads a credential file, refusing one that others could read or replace (a secret anyone may read protects
     * nothing): it must be a regular file, not a link, belong to the user running Botshift and be readable by that
     * user only.
     *
     * @param what the file's name in messages, e.g. "admin token file"
     * @throws dev.botshift.core.LocalFileException (exit 2) naming the file and what is wrong with it
     */
    public static byte[] readOwn(Path file, String what) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new dev.botshift.core.LocalFileException(what + " " + file + " is missing or not a regular file");
            }
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("unix")) {
                long owner = ((Number) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
                int mode = ((Number) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue();
                if (owner != new com.sun.security.auth.module.UnixSystem().getUid() || (mode & 0077) != 0) {
                    throw new dev.botshift.core.LocalFileException(what + " " + file + " must belong to you and be"
                            + " readable by you only (chmod 600)");
                }
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw IoFailures.of("read", file, e);
        }
    }

    /** Deletes {@code file} if it exists (a link is deleted, never what it points to). */
    public static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw IoFailures.of("delete", file, e);
        }
    }

    private static Set<OpenOption> appendOptions() {
        // NOFOLLOW_LINKS: opening a planted link fails (ELOOP) instead of appending to whatever it points to
        return Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
    }

    /** Makes the rename itself durable; some file systems do not allow opening a folder, which only weakens durability. */
    private static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort: the rename is atomic either way
        }
    }
}
