package dev.botshift.traffic.router;

import dev.botshift.core.BotshiftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The router's view of an app's {@link WebhookSecrets} file: which secrets a Telegram webhook may present now. The file
 * is looked at again at most once a second while requests pass, and at once when a request presents a secret the
 * router does not know yet. So a secret written before {@code setWebhook} registers it is accepted from Telegram's
 * very first delivery with it, whatever the timing (no gap in a rotation), and a retired one stops being accepted
 * within a second. Only digests are kept; comparisons take the same time whichever secret matches.
 */
public final class WebhookSecretsFile {
    private static final long LOOK_EVERY_NANOS = 1_000_000_000L;

    private final Path file;
    private final Clock clock;
    private volatile Snapshot snapshot;
    private volatile long lookedAt;
    private Object warnedAbout;

    /** What was read, and which version of the file it came from (null: there was no file). */
    private record Snapshot(Object version, List<Accepted> accepted) {
    }

    private record Accepted(byte[] digest, Instant until) {
    }

    private WebhookSecretsFile(Path file, Clock clock, Snapshot snapshot) {
        this.file = file;
        this.clock = clock;
        this.snapshot = snapshot;
        this.lookedAt = System.nanoTime();
    }

    /**
     * Reads {@code file} now; a missing file is fine (no secret is registered yet: every webhook is refused until one
     * is).
     *
     * @throws dev.botshift.core.LocalFileException (exit 2) when the file exists but is unsafe or malformed
     */
    public static WebhookSecretsFile open(Path file, Clock clock) {
        Object version = version(file);
        return new WebhookSecretsFile(file, clock, read(file, version));
    }

    /** Whether a secret is registered (for the router's start line). */
    public boolean registered() {
        return !snapshot.accepted().isEmpty();
    }

    /** Whether {@code presented} is one of the secrets accepted now. */
    boolean accepts(String presented) {
        byte[] digest = AdminToken.sha256(presented);
        if (System.nanoTime() - lookedAt > LOOK_EVERY_NANOS) {
            refresh();
        }
        if (matches(snapshot, digest)) {
            return true;
        }
        refresh(); // a secret written just now, before Telegram was told of it: never refuse it for a stale view
        return matches(snapshot, digest);
    }

    private boolean matches(Snapshot s, byte[] digest) {
        Instant now = clock.instant();
        boolean match = false;
        for (Accepted a : s.accepted()) { // no early exit: the time does not tell which secret matched
            match |= MessageDigest.isEqual(a.digest(), digest) & (a.until() == null || now.isBefore(a.until()));
        }
        return match;
    }

    private synchronized void refresh() {
        lookedAt = System.nanoTime();
        Object version;
        try {
            version = version(file);
        } catch (RuntimeException e) {
            warnOnce(e.getMessage(), "botshift router: " + e.getMessage() + "; still accepting the secrets read before");
            return;
        }
        if (java.util.Objects.equals(version, snapshot.version())) {
            return;
        }
        try {
            snapshot = read(file, version);
        } catch (BotshiftException e) {
            // keep what was accepted: a file broken by hand must not lock Telegram out, nor let forgeries in
            warnOnce(version, "botshift router: " + e.getMessage() + "; still accepting the secrets read before");
        }
    }

    private void warnOnce(Object about, String line) {
        if (!java.util.Objects.equals(about, warnedAbout)) {
            warnedAbout = about;
            System.err.println(line);
        }
    }

    private static Snapshot read(Path file, Object version) {
        if (version == null) {
            return new Snapshot(null, List.of());
        }
        return WebhookSecrets.read(file).map(s -> {
            List<Accepted> accepted = new java.util.ArrayList<>();
            accepted.add(new Accepted(AdminToken.sha256(s.current()), null));
            if (s.next() != null) {
                accepted.add(new Accepted(AdminToken.sha256(s.next()), null));
            }
            if (s.previous() != null) {
                accepted.add(new Accepted(AdminToken.sha256(s.previous()), s.previousUntil()));
            }
            return new Snapshot(version, List.copyOf(accepted));
        }).orElse(new Snapshot(null, List.of()));
    }

    /** The file's identity and change time: every write replaces it (a new inode), so either changes. */
    private static Object version(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime(), a.size());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw dev.botshift.os.IoFailures.of("read", file, e);
        }
    }

    @Override
    public String toString() {
        return "WebhookSecretsFile[" + file + "]";
    }
}
