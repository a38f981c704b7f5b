package dev.botshift.workload.local;

import dev.botshift.core.Slot;
import dev.botshift.os.FileFingerprint;
import dev.botshift.os.PrivateDirectory;
import dev.botshift.plan.PlanDefaults;
import dev.botshift.plan.WorkloadSpec;
import dev.botshift.workload.Readiness;
import dev.botshift.workload.Workloads;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The embedded default's workloads: a colour is N local processes of the plan's command, each on its own port.
 * The processes outlive the orchestrator, and each colour's processes are recorded in
 * {@code <stateDir>/<app>/workloads/<slot>.json} before anything waits on them, so a later run re-attaches to
 * them instead of starting duplicates. See docs/local-platform.md.
 */
public final class LocalWorkloads implements Workloads {
    private static final int LOG_LINES = 10;
    private static final Duration REAP_WAIT = Duration.ofSeconds(1);
    /** Exit values above this are 128 + the signal that ended the process. */
    private static final int SIGNALLED = 128;

    private final String app;
    private final Path stateDir;
    private final Path logDir;
    private final SlotFiles files;
    private final BotLauncher launcher;
    /** Launchers of releases started from other plans (blue's), by release: {@link #replaceDead} may use them. */
    private final Map<String, BotLauncher> earlierPlans = new ConcurrentHashMap<>();
    private final HealthProbe probe;
    private final Duration drainTimeout;
    private final Consumer<String> progress;
    /** Processes this object started: only a parent can learn a process's exit code. */
    private final Map<Long, Process> children = new ConcurrentHashMap<>();
    private final List<BiConsumer<Slot, List<URI>>> listeners = new CopyOnWriteArrayList<>();
    private final List<BeforeDrain> beforeDrain = new CopyOnWriteArrayList<>();
    /** Colours {@link #stop} is draining: nothing replaces or lets in their instances meanwhile. */
    private final Set<Slot> stopping = ConcurrentHashMap.newKeySet();
    private final Clock clock;

    /** Where {@code app}'s bots write their output: {@code <stateDir>/<app>/workloads/logs}. */
    public static Path logDir(Path stateDir, String app) {
        return stateDir.resolve(app).resolve("workloads").resolve("logs");
    }

    /**
     * @param stateDir  the state directory; this app's processes are recorded under {@code <stateDir>/<app>/workloads/}
     * @param spec      the plan's workload (command, env, healthPath, drainTimeout)
     * @param workDir   where the command runs (the plan file's folder)
     * @param extraEnv  environment for every bot on top of the plan's (DB_URL, DB_USER, DB_PASSWORD); never printed
     */
    public LocalWorkloads(String app, Path stateDir, WorkloadSpec spec, Path workDir, Map<String, String> extraEnv,
                          Consumer<String> progress, Clock clock) {
        this(app, stateDir, spec, workDir, extraEnv, Map.of(), progress, clock);
    }

    /**
     * @param deployed the bot's own files as the release was deployed with ({@link
     *                 dev.botshift.plan.Plan#deployedPrograms()}): a dead instance is not started again once one changed
     */
    public LocalWorkloads(String app, Path stateDir, WorkloadSpec spec, Path workDir, Map<String, String> extraEnv,
                          Map<Path, FileFingerprint> deployed, Consumer<String> progress, Clock clock) {
        this.app = Objects.requireNonNull(app, "app");
        Path dir = stateDir.resolve(app).resolve("workloads");
        this.stateDir = stateDir;
        this.logDir = logDir(stateDir, app);
        this.files = new SlotFiles(stateDir, dir);
        this.clock = clock; // before the launcher, which stamps its logs' headers with it
        this.launcher = launcher(spec, workDir, extraEnv, deployed);
        this.probe = new HealthProbe(Optional.ofNullable(spec.healthPath()).orElse(PlanDefaults.HEALTH_PATH));
        this.drainTimeout = Optional.ofNullable(spec.drainTimeout()).orElse(PlanDefaults.DRAIN_TIMEOUT);
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Lets {@link #replaceDead} start instances of {@code release} too, with the command and environment of the plan it
     * was deployed with (blue's, while green's plan is the one this object was made from).
     *
     * @param extraEnv as for the constructor, from that plan
     * @param deployed as for the constructor, from that plan
     */
    public void alsoReplaces(String release, WorkloadSpec spec, Path workDir, Map<String, String> extraEnv,
                             Map<Path, FileFingerprint> deployed) {
        earlierPlans.put(release, launcher(spec, workDir, extraEnv, deployed));
    }

    /** How a plan's instances are started: its command in its folder, its environment and Botshift's. */
    private BotLauncher launcher(WorkloadSpec spec, Path workDir, Map<String, String> extraEnv,
                                 Map<Path, FileFingerprint> deployed) {
        return new BotLauncher(spec.command(), workDir, BotLauncher.mergeEnv(spec.env(), extraEnv), logDir, clock,
                deployed);
    }

    /** The bots' logs ({@code *.log} in {@link #logDir}; links left out), for the guard to cut in place. */
    public List<Path> logFiles() {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(logDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log"))
                    .filter(f -> java.nio.file.Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .toList();
        } catch (java.nio.file.NoSuchFileException absent) {
            return List.of(); // no bot started yet
        } catch (java.io.IOException e) {
            throw dev.botshift.os.IoFailures.of("list the logs in", logDir, e);
        }
    }

    /** Called with a colour's live endpoints whenever start or stop changes them (e.g. to point the router at them). */
    public void onEndpointsChanged(BiConsumer<Slot, List<URI>> listener) {
        listeners.add(listener);
    }

    /** What runs before a colour's live instances are drained by {@link #stop}. */
    @FunctionalInterface
    public interface BeforeDrain {
        /**
         * @param who    how progress names what stops ({@code "<app> <version>"})
         * @param within the drain timeout: how long the work under way at the instances gets
         */
        void accept(Slot slot, String who, Duration within);
    }

    /**
     * Called before a colour's live instances are drained by {@link #stop}, unless every one of them is stopped
     * (SIGSTOP: it answers nothing until killed): e.g. to let what is under way at them from outside finish first.
     */
    public void beforeDrain(BeforeDrain listener) {
        beforeDrain.add(listener);
    }

    /** Base URIs ({@code http://127.0.0.1:<port>}) of the colour's live instances, ready or not. */
    public synchronized List<URI> endpoints(Slot slot) {
        return live(slot).stream().map(Instance::endpoint).toList();
    }

    /**
     * Base URIs of the colour's live instances the router may have: not the replacements still starting (they join
     * once they answer their health check, {@link #admitReady}), also when another process started them.
     */
    public synchronized List<URI> routable(Slot slot) {
        return files.load(slot).map(this::admitted).orElse(List.of());
    }

    /**
     * Starts what is missing: new instances, or replacements for dead ones (on a new port); drains extra ones.
     *
     * @throws dev.botshift.core.InvalidInputException when {@code workload.command} is empty or its program is missing
     * @throws IllegalStateException when the colour runs another version: stop it first
     */
    @Override
    public synchronized void start(Slot slot, String version, int replicas) {
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas must be at least 1, got " + replicas);
        }
        launcher.checkedCommand(); // bad input fails here, before anything is recorded or stopped
        Optional<SlotFile> recorded = files.load(slot);
        List<Instance> before = recorded.map(SlotFile::instances).orElse(List.of());
        List<Instance> live = new ArrayList<>(before.stream().filter(Instance::isAlive).toList());
        live.stream().filter(i -> !i.version().equals(version)).findFirst().ifPresent(i -> {
            throw new IllegalStateException("the slot for " + app + " " + version + " still runs " + i.version()
                    + "; stop it before starting " + version);
        });
        List<Instance> dead = before.stream().filter(i -> !live.contains(i)).toList();
        dead.forEach(i -> progress.accept(app + " " + i.version() + " " + i.describe() + " is gone; replacing it"));
        // the same release keeps what it was (a start that re-attaches after a crash); another one has yet to come up
        Optional<SlotFile> same = recorded.filter(f -> f.version().equals(version));
        forgetChildren(dead);
        live.sort(Comparator.comparingInt(Instance::index));
        SlotFile current = same.map(f -> f.died(dead, this::endOf).withDesired(replicas))
                .orElse(SlotFile.of(slot.label(), version, replicas, List.of())).with(live);
        scaleDown(slot, current, live, replicas);
        current = current.with(live);
        List<URI> endpointsBefore = admitted(current); // a scale-down announced its own
        if (recorded.isEmpty() || !recorded.get().equals(current)) {
            files.save(slot, current);
        }
        if (live.size() < replicas) {
            // logs are appended to: their folder (and those above it) must be ours, or a planted link redirects them
            PrivateDirectory.ensure(stateDir, logDir);
        }
        while (live.size() < replicas) {
            BotLauncher.Launched launched = launcher.launch(app, slot, version, freeIndex(live));
            children.put(launched.instance().pid(), launched.process());
            live.add(launched.instance());
            // recorded before anyone waits on it: a crash from here on re-attaches instead of starting a duplicate
            files.save(slot, current.with(live));
            progress.accept(app + " " + version + " " + launched.instance().describe() + " started, log "
                    + launched.instance().log());
        }
        List<URI> endpointsAfter = admitted(current.with(live));
        if (!endpointsBefore.equals(endpointsAfter)) {
            fire(slot, endpointsAfter);
        }
    }

    /**
     * What {@link #replaceDead} did to a slot, in one line for the history: the dead instances, taken out of the router
     * at once, and the replacements started for them (they join the router once they answer their health check), or
     * when they will be.
     */
    public record Replacement(List<String> started, String describe) {
    }

    /**
     * Takes the slot's dead instances out of the router (the listeners) and, when the slot runs {@code release} (the
     * plan this process holds, so the instances' environment is known) or a release given {@link #alsoReplaces},
     * starts replacements, which join the router only once they answer their health check ({@link #admitReady});
     * while replacements die before answering, the next ones wait longer ({@link RestartBackoff}). Both are kept in
     * the slot's record, so a supervisor started again neither lets a replacement still starting into the router nor
     * starts a crash loop's back-off again at 1 s. Instances of another release (started from a plan not known here)
     * are only taken out: the others serve. Nothing for a slot that is not running or is being stopped (on purpose),
     * whose instances all live, or that has never been ready: an instance dying there failed to start, and the rollout
     * waiting for the slot reports it with its log ({@link #readiness}); starting it again would hide why.
     */
    public synchronized Optional<Replacement> replaceDead(Slot slot, String release) {
        if (stopping.contains(slot)) {
            return Optional.empty();
        }
        Optional<SlotFile> recorded = files.load(slot);
        if (recorded.isEmpty() || !recorded.get().hasBeenReady()) {
            return Optional.empty();
        }
        List<Instance> live = new ArrayList<>(recorded.get().instances().stream().filter(Instance::isAlive).toList());
        List<Instance> dead = recorded.get().instances().stream().filter(i -> !live.contains(i)).toList();
        // each death counted where it happened, before its exit code is forgotten (green's restarts: restarts())
        SlotFile file = recorded.get().died(dead, this::endOf);
        BotLauncher using = file.version().equals(release) ? launcher : earlierPlans.get(file.version());
        boolean wantsStart = !dead.isEmpty() || live.size() < file.desired();
        Optional<Path> changed = using == null || !wantsStart ? Optional.empty() : using.changedSinceDeploy();
        boolean ours = using != null && changed.isEmpty();
        Instant now = clock.instant();
        if (dead.isEmpty() && (!ours || live.size() >= file.desired() || !file.backoff().mayStart(now))) {
            return Optional.empty();
        }
        String died = null;
        if (!dead.isEmpty()) {
            List<Instance> failedStarts = dead.stream().filter(file::isStarting).toList();
            forgetChildren(dead);
            file = file.with(live);
            died = file.version() + " " + describe(dead) + " died";
            if (!failedStarts.isEmpty() && ours) {
                file = file.withBackoff(file.backoff().failedStart(now));
                save(slot, file);
                int inARow = file.backoff().failedStarts();
                return Optional.of(new Replacement(List.of(), died + " before answering its health check (" + inARow
                        + (inARow == 1 ? " failed start" : " failed starts") + " in a row; its log: "
                        + failedStarts.get(0).log() + "): started again in " + file.backoff().waited(now).toSeconds()
                        + "s"));
            }
            save(slot, file);
            if (!ours) {
                SlotFile f = file;
                return Optional.of(new Replacement(List.of(), died + ": taken out of the router, not replaced ("
                        + changed.map(p -> p + " is not what " + f.version() + " was deployed with (rebuilt since?):"
                        + " starting it would run other code as " + f.version())
                        .orElse("started from an earlier plan") + "; the others serve)"));
            }
            if (!file.backoff().mayStart(now)) {
                return Optional.of(new Replacement(List.of(), died + ": taken out of the router, started again after"
                        + " the back-off of the slot's failed starts"));
            }
        }
        PrivateDirectory.ensure(stateDir, logDir);
        List<Instance> started = new ArrayList<>();
        while (live.size() < file.desired()) {
            BotLauncher.Launched launched = using.launch(app, slot, file.version(), freeIndex(live));
            children.put(launched.instance().pid(), launched.process());
            live.add(launched.instance());
            // recorded before anyone waits on it, as starting: kept out of the router by whichever process reads it
            file = file.withStarting(launched.instance());
            files.save(slot, file);
            started.add(launched.instance());
        }
        List<String> names = started.stream().map(Instance::describe).toList();
        return Optional.of(new Replacement(names, died == null
                ? file.version() + " started again after the back-off: " + describe(started)
                : died + ": taken out of the router" + (started.isEmpty() ? "" : ", replaced by " + describe(started))));
    }

    /** Records {@code file} and points the router at what it may have of it (the dead taken out at once). */
    private void save(Slot slot, SlotFile file) {
        files.save(slot, file);
        fire(slot, admitted(file));
    }

    private static String describe(List<Instance> instances) {
        return String.join(", ", instances.stream().map(Instance::describe).toList());
    }

    /**
     * Lets replacements that now answer their health check into the router, and ends the back-off; answers the ones
     * let in. One that died meanwhile stays starting, for {@link #replaceDead} to count as a failed start.
     */
    public synchronized List<String> admitReady(Slot slot) {
        if (stopping.contains(slot)) {
            return List.of();
        }
        Optional<SlotFile> recorded = files.load(slot);
        if (recorded.isEmpty() || recorded.get().starting().isEmpty()) {
            return List.of();
        }
        SlotFile file = recorded.get();
        List<Instance> ready = file.instances().stream().filter(file::isStarting).filter(Instance::isAlive)
                .filter(i -> probe.check(List.of(i.endpoint())).healthy() == 1).toList();
        if (ready.isEmpty()) {
            return List.of();
        }
        save(slot, file.answered(ready.stream().map(Instance::index).collect(java.util.stream.Collectors.toSet())));
        return ready.stream().map(Instance::describe).toList();
    }

    /** The endpoints of the record's live instances the router may have: not the replacements still starting. */
    private List<URI> admitted(SlotFile file) {
        return file.instances().stream().filter(Instance::isAlive).filter(i -> !file.isStarting(i))
                .map(Instance::endpoint).toList();
    }

    @Override
    public synchronized Readiness readiness(Slot slot) {
        Optional<SlotFile> recorded = files.load(slot);
        if (recorded.isEmpty() || recorded.get().instances().isEmpty()) {
            return new Readiness.Absent();
        }
        SlotFile file = recorded.get();
        for (Instance instance : file.instances()) {
            if (!instance.isAlive()) {
                return new Readiness.Failed(file.version() + " " + instance.describe() + " " + exitOf(instance)
                        + "; last lines of " + instance.log() + ":\n" + LogTail.of(instance.logFile(), LOG_LINES));
            }
        }
        HealthProbe.Health health = probe.check(endpointsOf(file.instances()));
        if (health.healthy() < file.desired()) {
            return new Readiness.Progressing(health.healthy(), file.desired(), health.problem());
        }
        if (!file.hasBeenReady()) {
            files.save(slot, file.markedReady()); // from now on a death is a crash to repair (replaceDead)
        }
        return new Readiness.Ready(health.healthy());
    }

    /**
     * By place among the colour's replicas, the deaths there while it ran {@code version} (each a restart, as
     * Kubernetes counts a container's: the guard starts the instance again). An instance dead and not yet replaced
     * counts already, as a container Kubernetes has just killed does. Empty when the colour runs another version, or
     * nothing.
     */
    public synchronized java.util.SortedMap<Integer, Deaths> restarts(Slot slot, String version) {
        java.util.SortedMap<Integer, Deaths> places = new java.util.TreeMap<>();
        files.load(slot).filter(f -> f.version().equals(version)).ifPresent(recorded -> {
            List<Instance> dead = recorded.instances().stream().filter(i -> !i.isAlive()).toList();
            recorded.instances().forEach(i -> places.put(i.index(), Deaths.NONE));
            places.putAll(recorded.died(dead, this::endOf).ended());
        });
        return places;
    }

    /**
     * Drains the colour's live instances and forgets it. The waits (the {@link #beforeDrain} listeners', then the
     * drain's own, each up to the drain timeout) hold no lock: the guard's rounds go on meanwhile for the other colour
     * (a blue instance that dies while green drains after a rollback is replaced at once, not up to twice the drain
     * timeout later), and leave this one alone ({@link #stopping}): its instances die on purpose.
     */
    @Override
    public void stop(Slot slot) {
        Optional<SlotFile> recorded;
        synchronized (this) {
            recorded = files.load(slot);
            if (recorded.isEmpty()) {
                return;
            }
            stopping.add(slot);
        }
        try {
            List<Instance> live = recorded.get().instances().stream().filter(Instance::isAlive).toList();
            if (!live.isEmpty()) {
                String who = app + " " + recorded.get().version();
                if (live.stream().anyMatch(i -> !dev.botshift.os.ProcessLife.stopped(i.pid()))) {
                    beforeDrain.forEach(listener -> listener.accept(slot, who, drainTimeout));
                }
                progress.accept(who + ": draining " + live.size()
                        + " instance(s) (SIGTERM, up to " + drainTimeout.toMillis() + " ms)");
                Drain.stop(handles(live), drainTimeout, progress);
            }
            synchronized (this) {
                forgetChildren(recorded.get().instances());
                files.delete(slot);
                progress.accept(app + " " + recorded.get().version() + ": stopped");
                if (!live.isEmpty()) {
                    fire(slot, List.of());
                }
            }
        } finally {
            stopping.remove(slot);
        }
    }

    @Override
    public synchronized int running(Slot slot) {
        return live(slot).size();
    }

    private List<Instance> live(Slot slot) {
        return files.load(slot).map(SlotFile::instances).orElse(List.of()).stream().filter(Instance::isAlive).toList();
    }

    /**
     * Drains the instances at the highest places beyond {@code replicas}, removing them from {@code live}. They leave
     * the router first (the listeners get the colour's endpoints without them): the colour still has traffic, and a
     * webhook sent to an instance as it exits is a 502 unless the bot finishes it, which a bot that exits at once on
     * SIGTERM does not.
     */
    private void scaleDown(Slot slot, SlotFile current, List<Instance> live, int replicas) {
        if (live.size() <= replicas) {
            return;
        }
        List<Instance> extra = new ArrayList<>(live.subList(replicas, live.size()));
        progress.accept(app + ": scaling down from " + live.size() + " to " + replicas + " instances");
        live.removeAll(extra);
        fire(slot, admitted(current.with(live)));
        Drain.stop(handles(extra), drainTimeout, progress);
        forgetChildren(extra);
    }

    private static List<ProcessHandle> handles(List<Instance> instances) {
        return instances.stream().flatMap(i -> i.handle().stream()).toList();
    }

    private static int freeIndex(List<Instance> live) {
        int index = 0;
        while (true) {
            int s = index;
            if (live.stream().noneMatch(i -> i.index() == s)) {
                return index;
            }
            index++;
        }
    }

    private String exitOf(Instance instance) {
        Process process = children.get(instance.pid());
        if (process != null && reaped(process)) {
            int code = process.exitValue();
            return "exited with code " + code + (code > SIGNALLED ? " (" + endOf(instance) + ")" : "");
        }
        return "exited (exit code unknown: it was started by an earlier run)";
    }

    /** How a dead instance ended, in a few words: its exit code, or the signal that killed it. */
    private String endOf(Instance instance) {
        Process process = children.get(instance.pid());
        if (process == null || !reaped(process)) {
            return "exit not known: started by an earlier Botshift process";
        }
        int code = process.exitValue();
        // the JDK reports a process a signal ended as 128 + the signal, as a shell does
        return code > SIGNALLED ? "killed by signal " + (code - SIGNALLED) : "exit code " + code;
    }

    /**
     * Drained processes of ours are dead, but the JVM's reaper may not have collected them yet; waiting for it means
     * that once stop returns, no zombie of the colour is left either.
     */
    private void forgetChildren(List<Instance> instances) {
        instances.stream().map(i -> children.remove(i.pid())).filter(Objects::nonNull).forEach(LocalWorkloads::reaped);
    }

    /** A process seen dead in /proc has its exit status collected by the JVM's reaper a moment later. */
    private static boolean reaped(Process process) {
        try {
            return process.waitFor(REAP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static List<URI> endpointsOf(List<Instance> instances) {
        return instances.stream().filter(Instance::isAlive).map(Instance::endpoint).toList();
    }

    private void fire(Slot slot, List<URI> endpoints) {
        listeners.forEach(l -> l.accept(slot, endpoints));
    }
}
