package dev.botshift.os;

import com.sun.security.auth.module.UnixSystem;
import dev.botshift.core.LocalFileException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The directories Botshift keeps its files in (the state directory and its sub-directories), made safe against the
 * other users of the machine. A directory is used only when it is ours and nobody else can write into it, because
 * whoever can create entries in it can plant a symbolic link where Botshift will write next (a state file, a log),
 * and so make Botshift overwrite or append to any file it may write. Missing directories are created {@code 0700}.
 *
 * <p>A shared parent such as {@code /tmp} (writable by all, with the sticky bit) is fine: only the owner of an entry
 * may rename or delete it there. A parent writable by all without the sticky bit is not: anyone could move our
 * directory away and put theirs in its place.
 *
 * <p>Checks need the POSIX "unix" attribute view (Linux, macOS); elsewhere they are skipped.
 */
public final class PrivateDirectory {
    private static final int GROUP_WRITE = 0020;
    private static final int OTHERS_WRITE = 0002;
    private static final int STICKY = 01000;
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("unix");

    private PrivateDirectory() {
    }

    /**
     * Checks {@code dir} if it exists, else creates it and its missing parents with mode {@code 0700}.
     *
     * @return the directory, as given
     * @throws LocalFileException (exit 2) when the directory or a link to it belongs to another user, when group or
     *                            others may write into it, or when a parent is writable by all without the sticky bit
     */
    public static Path ensure(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        if (!Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
            create(absolute);
        }
        check(absolute);
        return dir;
    }

    /**
     * {@link #ensure} for {@code root} and every directory from it down to {@code dir}: each level is one Botshift
     * creates files in, so each must be ours (a foreign level in between could swap what lies below it).
     */
    public static Path ensure(Path root, Path dir) {
        Path top = root.toAbsolutePath().normalize();
        Path target = dir.toAbsolutePath().normalize();
        if (!target.startsWith(top)) {
            throw new IllegalArgumentException(dir + " is not inside " + root);
        }
        Path level = ensure(top);
        for (Path name : top.relativize(target)) {
            if (!name.toString().isEmpty()) {
                level = ensure(level.resolve(name));
            }
        }
        return dir;
    }

    /**
     * Checks, without creating anything, every existing level from {@code root} down to {@code dir} (a preflight:
     * refuse before the first write rather than at it).
     */
    public static void checkIfPresent(Path root, Path dir) {
        Path level = root.toAbsolutePath().normalize();
        checkIfPresent(level);
        for (Path name : level.relativize(dir.toAbsolutePath().normalize())) {
            if (!name.toString().isEmpty()) {
                level = level.resolve(name);
                checkIfPresent(level);
            }
        }
    }

    /** As {@link #ensure}, for a directory that must already exist (a command that only reads). */
    public static void checkIfPresent(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
            check(absolute);
        }
    }

    private static void create(Path dir) {
        try {
            if (POSIX) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        } catch (FileAlreadyExistsException e) {
            // created by someone else between our look and our mkdir: the check below judges it
        } catch (IOException e) {
            throw IoFailures.of("create the directory", dir, e);
        }
    }

    private static void check(Path dir) {
        if (!POSIX) {
            return;
        }
        try {
            long me = new UnixSystem().getUid();
            Path real = dir;
            if (Files.isSymbolicLink(dir)) {
                // a link we made (e.g. ~/.botshift -> /data/botshift) is fine; one planted by another user is not
                ownedBy(dir, me, "is a symbolic link owned by");
                real = dir.toRealPath();
            }
            if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
                throw new LocalFileException(dir + " is not a directory: Botshift keeps its state there; use another --state-dir");
            }
            ownedBy(real, me, "is owned by");
            int mode = mode(real);
            if ((mode & (GROUP_WRITE | OTHERS_WRITE)) != 0) {
                throw new LocalFileException("state directory " + real + " is writable by " + who(mode) + " (mode "
                        + octal(mode) + "): another user could plant links in it that Botshift would write through. "
                        + "Run 'chmod 700 " + real + "' if it is yours, or use another --state-dir");
            }
            for (Path parent = real.getParent(); parent != null; parent = parent.getParent()) {
                int parentMode = mode(parent);
                if ((parentMode & OTHERS_WRITE) != 0 && (parentMode & STICKY) == 0) {
                    throw new LocalFileException("state directory " + real + " is inside " + parent + ", which every "
                            + "user may write to (mode " + octal(parentMode) + ", no sticky bit): anyone could replace "
                            + "the state directory. Use a --state-dir whose parents only you (or root) can write");
                }
            }
        } catch (NoSuchFileException e) {
            throw new LocalFileException("state directory " + dir + " vanished while Botshift checked it (a link to "
                    + "nowhere?): use another --state-dir", e);
        } catch (IOException e) {
            throw IoFailures.of("inspect the directory", dir, e);
        }
    }

    private static void ownedBy(Path path, long me, String what) throws IOException {
        long owner = ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
        if (owner != me) {
            throw new LocalFileException("state directory " + path + " " + what + " uid " + owner + ", not by you (uid "
                    + me + "): another user may have created it to make Botshift write through their links. Use a "
                    + "state directory of your own (--state-dir or BOTSHIFT_STATE_DIR, e.g. ~/.botshift)");
        }
    }

    private static int mode(Path path) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue() & 07777;
    }

    private static String who(int mode) {
        boolean group = (mode & GROUP_WRITE) != 0;
        boolean others = (mode & OTHERS_WRITE) != 0;
        return group && others ? "its group and all users" : group ? "its group" : "all users";
    }

    private static String octal(int mode) {
        return String.format("%04o", mode);
    }
}
