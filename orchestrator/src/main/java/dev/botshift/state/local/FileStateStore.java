package dev.botshift.state.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.botshift.core.LocalFileException;
import dev.botshift.os.PrivateDirectory;
import dev.botshift.os.PrivateFiles;
import dev.botshift.os.ProcessLife;
import dev.botshift.os.ProcessStart;
import dev.botshift.plan.AppName;
import dev.botshift.state.AppLock;
import dev.botshift.state.LockHeldException;
import dev.botshift.state.LockLostException;
import dev.botshift.state.StateConflictException;
import dev.botshift.state.StateStore;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.botshift.os.IoFailures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The embedded default's state: {@code <dir>/<app>/state.json} (the document and its version counter),
 * {@code <dir>/<app>/lock.json} (the app lock) and {@code <dir>/<app>/requests/} (the inbox of manual commands, one
 * file each). Every read-check-write runs under an OS file lock on {@code <dir>/<app>/.mutex}, so compare-and-set,
 * the fence (a write checks the lock's token) and lock takeover hold across processes, not only threads.
 * The directories must be ours and closed to other users ({@link PrivateDirectory}); files are replaced through
 * {@link PrivateFiles}, never written through a link.
 */
public final class FileStateStore implements StateStore {
    private static final String REQUESTS = "requests";
    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final Path dir;
    private final Clock clock;

    public FileStateStore(Path dir, Clock clock) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.clock = Objects.requireNonNull(clock, "clock");
        // even a command that only reads refuses a directory another user controls: what it reads could be theirs
        PrivateDirectory.checkIfPresent(dir);
    }

    public FileStateStore(Path dir) {
        this(dir, Clock.systemUTC());
    }

    @Override
    public Optional<Versioned> read(String app) {
        // no mutex: the file is only ever replaced by an atomic rename, so a reader sees one whole version
        Path appDir = appDir(app);
        PrivateDirectory.checkIfPresent(appDir);
        return readState(appDir, app).map(s -> new Versioned(s.document(), Long.toString(s.version())));
    }

    @Override
    public Versioned write(String app, String json, String expectedVersion, AppLock lock) {
        Objects.requireNonNull(json, "json");
        Path appDir = appDir(app);
        return AppMutex.with(dir, appDir, () -> {
            fence(app, appDir, lock);
            Optional<StateFile> current = readState(appDir, app);
            String actual = current.map(s -> Long.toString(s.version())).orElse(null);
            if (!Objects.equals(actual, expectedVersion)) {
                throw new StateConflictException(app);
            }
            long next = current.map(StateFile::version).orElse(0L) + 1;
            writeJson(appDir.resolve("state.json"), new StateFile(next, clock.instant(), json));
            return new Versioned(json, Long.toString(next));
        });
    }

    @Override
    public AppLock lock(String app, String holder, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("lock ttl must be positive, got " + ttl);
        }
        Path appDir = appDir(app);
        return AppMutex.with(dir, appDir, () -> {
            Instant now = clock.instant();
            Optional<LockRecord> existing = readLock(appDir, app);
            if (existing.isPresent() && !takeable(existing.get(), now)) {
                throw new LockHeldException(app, existing.get().holder(), existing.get().since());
            }
            ProcessHandle self = ProcessHandle.current();
            ProcessStart started = ProcessStart.of(self);
            LockRecord mine = new LockRecord(holder, LocalProcesses.hostName(), self.pid(), started.epochMillis(),
                    started.bootTicks(), UUID.randomUUID().toString(), now, now.plus(ttl));
            writeJson(appDir.resolve("lock.json"), mine);
            return new FileAppLock(this, app, mine, ttl, clock);
        });
    }

    /** Absent, expired, or held by a process of this host that no longer exists. */
    private static boolean takeable(LockRecord lock, Instant now) {
        if (!now.isBefore(lock.expiresAt())) {
            return true;
        }
        return lock.host().equals(LocalProcesses.hostName()) && ProcessLife.live(lock.pid(),
                new ProcessStart(lock.pidStartedAt(), lock.pidStartTicks())).isEmpty();
    }

    /**
     * Forgets the app's rollout: its document and the requests waiting in its inbox are deleted, so that the next
     * deploy is a first release ({@code botshift down}, once nothing of the app runs). Fenced like a write.
     *
     * @throws LockLostException when {@code lock} is no longer the app's lock
     */
    public void forget(String app, AppLock lock) {
        Path appDir = appDir(app);
        AppMutex.with(dir, appDir, () -> {
            fence(app, appDir, lock);
            PrivateFiles.delete(appDir.resolve("state.json"));
            consumed(app, requests(app).keySet());
            return null;
        });
    }

    /** Extends our lock; fails if someone else's lock replaced it. Called by {@link FileAppLock}. */
    LockRecord renew(String app, LockRecord mine, Duration ttl) {
        Path appDir = appDir(app);
        return AppMutex.with(dir, appDir, () -> {
            LockRecord current = readLock(appDir, app).orElse(null);
            if (current == null) {
                throw new LockLostException(app, "it was taken over and released meanwhile");
            }
            if (!current.token().equals(mine.token())) {
                throw new LockLostException(app, "it is held by " + current.holder() + " since " + current.since());
            }
            LockRecord renewed = current.renewedUntil(clock.instant().plus(ttl));
            writeJson(appDir.resolve("lock.json"), renewed);
            return renewed;
        });
    }

    /** Deletes the lock if it is still ours; a lock taken over in the meantime belongs to its new holder. */
    void release(String app, LockRecord mine) {
        Path appDir = appDir(app);
        AppMutex.with(dir, appDir, () -> {
            Optional<LockRecord> current = readLock(appDir, app);
            if (current.isPresent() && current.get().token().equals(mine.token())) {
                PrivateFiles.delete(appDir.resolve("lock.json"));
            }
            return null;
        });
    }

    /** A write is allowed only while {@code lock} is the one on disk: a holder whose lock was taken over is refused. */
    private static void fence(String app, Path appDir, AppLock lock) {
        if (!(lock instanceof FileAppLock mine)) {
            throw new IllegalArgumentException("a state write needs this store's lock, got " + lock);
        }
        LockRecord current = readLock(appDir, app).orElse(null);
        if (current == null || !current.token().equals(mine.token())) {
            throw new LockLostException(app, current == null ? "it was released"
                    : "it is held by " + current.holder() + " since " + current.since());
        }
    }

    @Override
    public void request(String app, String id, String json) {
        Path appDir = appDir(app);
        AppMutex.with(dir, appDir, () -> {
            Path inbox = PrivateDirectory.ensure(dir, appDir.resolve(REQUESTS));
            // the name orders the inbox: arrival time, then the id
            PrivateFiles.replace(inbox.resolve(String.format("%020d-%s.json", clock.millis(), safeId(id))),
                    json.getBytes(StandardCharsets.UTF_8));
            return null;
        });
    }

    @Override
    public LinkedHashMap<String, String> requests(String app) {
        Path inbox = appDir(app).resolve(REQUESTS);
        LinkedHashMap<String, String> requests = new LinkedHashMap<>();
        if (!Files.isDirectory(inbox, LinkOption.NOFOLLOW_LINKS)) {
            return requests;
        }
        PrivateDirectory.checkIfPresent(dir, inbox);
        try (var files = Files.list(inbox)) {
            for (Path file : files.filter(FileStateStore::isRequest).sorted().toList()) {
                try {
                    requests.put(idOf(file), Files.readString(file));
                } catch (NoSuchFileException gone) {
                    // consumed meanwhile
                }
            }
        } catch (IOException e) {
            throw IoFailures.of("read the requests in", inbox, e);
        }
        return requests;
    }

    @Override
    public void consumed(String app, Collection<String> ids) {
        Path inbox = appDir(app).resolve(REQUESTS);
        if (ids.isEmpty() || !Files.isDirectory(inbox, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var files = Files.list(inbox)) {
            files.filter(f -> isRequest(f) && ids.contains(idOf(f))).forEach(PrivateFiles::delete);
        } catch (IOException e) {
            throw IoFailures.of("remove consumed requests from", inbox, e);
        }
    }

    private static boolean isRequest(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".json") && name.indexOf('-') > 0 && !name.startsWith(".");
    }

    private static String idOf(Path file) {
        String name = file.getFileName().toString();
        return name.substring(name.indexOf('-') + 1, name.length() - ".json".length());
    }

    /** Request ids are generated (UUIDs); anything else is not a file name. */
    private static String safeId(String id) {
        if (!id.matches("[A-Za-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("not a request id: " + id);
        }
        return id;
    }

    private Path appDir(String app) {
        return appFolder(dir, app);
    }

    /**
     * The app's folder in the state directory {@code dir}. Only an app's name (a plan's {@code name}, {@link AppName})
     * names one: a command's {@code <app>} that cannot be one is refused before it names a file, as on Kubernetes.
     */
    public static Path appFolder(Path dir, String app) {
        return dir.resolve(AppName.require(app));
    }

    private static Optional<StateFile> readState(Path appDir, String app) {
        Path file = appDir.resolve("state.json");
        return readJson(file, StateFile.class, "state file " + file + " is corrupt", () -> "Botshift will not guess "
                + "the rollout of '" + app + "' from it. Put back a backup if you have one; otherwise move it aside "
                + "(mv " + file + " " + file + ".corrupt): Botshift then knows no rollout of '" + app + "', so check "
                + "which colour serves (" + appDir.resolve("router").resolve("config.json") + ") before deploying again");
    }

    private static Optional<LockRecord> readLock(Path appDir, String app) {
        Path file = appDir.resolve("lock.json");
        return readJson(file, LockRecord.class, "lock file " + file + " is corrupt", () -> "if no deploy, resume or "
                + "abort of '" + app + "' is running, remove it (rm " + file + ") and run the command again");
    }

    private static <T> Optional<T> readJson(Path file, Class<T> type, String corrupt,
                                            java.util.function.Supplier<String> whatToDo) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw IoFailures.of("read", file, e);
        }
        try {
            T value = JSON.readValue(bytes, type);
            if (value == null) {
                throw new LocalFileException(corrupt + " (empty): " + whatToDo.get());
            }
            return Optional.of(value);
        } catch (JsonProcessingException e) {
            // the location only: the parser's own message may quote the file's content
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new LocalFileException(corrupt + " (not the JSON Botshift writes" + where + "): " + whatToDo.get());
        } catch (IOException e) {
            throw IoFailures.of("read", file, e);
        }
    }

    private static void writeJson(Path file, Object value) {
        try {
            PrivateFiles.replace(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + file.getFileName(), e);
        }
    }
}
