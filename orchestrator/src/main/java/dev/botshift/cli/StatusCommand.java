package dev.botshift.cli;

import dev.botshift.core.VisibleText;
import com.fasterxml.jackson.databind.JsonNode;
import dev.botshift.core.DurationText;
import dev.botshift.core.ExitCode;
import dev.botshift.core.InvalidInputException;
import dev.botshift.platform.StateOptions;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.state.StateStore;
import dev.botshift.supervise.local.EndedRolloutGuard;
import dev.botshift.supervise.local.SupervisorProcess;
import dev.botshift.traffic.router.RouterProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "status", sortOptions = false,
        description = {"Show an app's rollout: phase, traffic split, analysis, recent history.",
                "With --watch, follow it until it reaches what --until names, then exit with that state's code: "
                        + "0 succeeded, 3 rolled back, 4 waiting at a gate or paused, 7 failed, 6 on --timeout."},
        footer = {
                "  0  shown; with --watch: the rollout succeeded (or ended, --until=ended)",
                "  2  invalid input (usage, no such app)",
                "  3  with --watch: the rollout was rolled back",
                "  4  with --watch --until=gate: waiting at a gate or paused",
                "  6  with --watch: --timeout passed first",
                "  7  with --watch: the rollout stopped for a human (FAILED)",
                "", "Example (CI): botshift status my-bot --watch --until=succeeded --release 2.0.0 --timeout=30m"})
final class StatusCommand implements Callable<Integer> {
    enum Until { gate, succeeded, ended }

    @Parameters(index = "0", paramLabel = "<app>")
    String app;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text",
            description = "text (a table) or json (one object).")
    Output output;

    @Option(names = {"-w", "--watch"}, description = "Follow the rollout (see --until).")
    boolean watch;

    @Option(names = "--until", paramLabel = "gate|succeeded|ended", defaultValue = "gate",
            description = "With --watch: stop at a gate or the end (gate, the default), only at success or a rollback "
                    + "(succeeded), or only at the end (ended).")
    Until until;

    @Option(names = "--timeout", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "With --watch: give up after this long (e.g. 30m) with exit code 6.")
    Duration timeout;

    @Option(names = "--release", paramLabel = "<release>",
            description = "Only this release's rollout. With --watch, an earlier rollout that has ended is waited out "
                    + "until this release is submitted (so a watch started with a deploy never reports the last "
                    + "release); another open rollout is refused (exit code 2).")
    String release;

    @Option(names = "--attempt", paramLabel = "<n>", description = "With --release: only this attempt of it.")
    Integer attempt;

    @Mixin
    StateOptions state;

    @Override
    public Integer call() throws InterruptedException {
        RolloutTarget target = RolloutTarget.of(release, attempt);
        try (StateStore store = Rollouts.store(state, app)) {
            return status(store, target);
        }
    }

    private int status(StateStore store, RolloutTarget target) throws InterruptedException {
        Instant deadline = timeout == null ? null : Instant.now().plus(timeout);
        RolloutState s = Rollouts.read(store, app, state);
        if (!watch) {
            target.check(s);
            print(s);
            if (!warnIfUndriven(s)) {
                sayGuarding(s);
                sayBlocked(s, null);
            }
            return 0;
        }
        String lastPrinted = null;
        String blockedSaid = null;
        boolean warned = false;
        while (true) {
            if (target.matches(s)) {
                String line = s.phase().code() + " " + StatusView.detail(s.phase()) + " " + s.split();
                if (!line.equals(lastPrinted) && output == Output.text) {
                    System.err.println(Instant.now().toString().substring(11, 19) + " " + app + " " + s.release() + ": "
                            + line);
                    lastPrinted = line;
                }
                warned = warned || warnIfUndriven(s);
                blockedSaid = sayBlocked(s, blockedSaid);
                Integer code = stopCode(s);
                if (code != null) {
                    print(s);
                    return code;
                }
            } else if (!s.phase().terminal()) {
                target.check(s); // another release's rollout is open: refused
            }
            if (deadline != null && Instant.now().isAfter(deadline)) {
                System.err.println("botshift: timed out after " + DurationText.format(timeout) + " waiting for " + app
                        + " (now " + s.release() + " " + s.phase().code() + ")");
                return ExitCode.TIMED_OUT;
            }
            Thread.sleep(Follow.POLL.toMillis());
            s = Rollouts.read(store, app, state);
        }
    }

    /**
     * With no supervisor alive, nothing guards a local app: an open rollout is not driven, and after its end nothing
     * starts a dead router or bot again. Say so, and what starts one.
     */
    private boolean warnIfUndriven(RolloutState s) {
        if (state.namespace() != null || SupervisorProcess.attach(state.stateDir().resolve(app)).isPresent()) {
            return false;
        }
        if (s.phase().terminal()) {
            System.err.println("botshift: nothing guards the router and bots of " + app + " (its supervisor was "
                    + "stopped or died): 'botshift up " + app + "' starts one");
            return true;
        }
        System.err.println("botshift: no supervisor drives " + app + " " + s.release() + " (it was stopped or died): "
                + "'botshift up " + app + "' starts one, 'botshift resume " + app + "' starts one and follows it");
        routerGuardTrip(s).ifPresent(trip -> System.err.println("botshift: " + trip.describe() + " (the stored split "
                + "above is no longer in force): 'botshift resume " + app + "' completes the rollback"));
        return true;
    }

    /**
     * Why the rollout's driver cannot drive it, when that is the last thing its history says (it tries again until
     * the cause is fixed): on standard error, once per cause, so a rollout that does not move says why.
     *
     * @param said the cause said last, or null
     * @return the cause said now, or {@code said}
     */
    private String sayBlocked(RolloutState s, String said) {
        if (output == Output.json) {
            return said; // in the object ("driverBlocked")
        }
        return blocked(s).filter(b -> !b.event().why().equals(said)).map(b -> {
            System.err.println("botshift: " + VisibleText.of(b.event().describe()) + " (since "
                    + seconds(b.event().at()) + ")" + (b.inHistory() ? "" : "; not in the rollout's history (its log "
                    + "has it: " + state.stateDir().resolve(app).resolve(SupervisorProcess.LOG) + ")"));
            return b.event().why();
        }).orElse(said);
    }

    /**
     * Why the driver cannot drive the open rollout {@code s}: its history's last word, else what the local supervisor
     * recorded beside the history (which may be what it cannot write, a corrupt lock file, say, or has this cause
     * from less than 10 minutes before: {@code Supervisor.RECORDED_AGAIN_AFTER}).
     */
    private Optional<StatusView.Blocked> blocked(RolloutState s) {
        return StatusView.Blocked.inHistoryOf(s).or(() -> state.namespace() != null || s.phase().terminal()
                ? Optional.empty()
                : SupervisorProcess.blocked(state.stateDir().resolve(app), s.runId())
                        .map(b -> new StatusView.Blocked(b, false)));
    }

    /**
     * After the rollout's end, what its supervisor has repaired since (it guards the router and the bots until the next
     * rollout), or what keeps it from guarding: a router or a bot that died meanwhile is in no history, so this is
     * where a user sees it.
     */
    private void sayGuarding(RolloutState s) {
        if (output == Output.json) {
            return; // in the object ("guarding")
        }
        guarding(s).ifPresent(g -> System.err.println(g.trouble() != null
                ? "botshift: the supervisor cannot guard the router and bots of " + app + " since " + seconds(g.since())
                        + ": " + g.trouble() + "; it tries again every "
                        + dev.botshift.core.DurationText.spoken(EndedRolloutGuard.RETRY)
                : "botshift: the supervisor guards the router and bots of " + app
                        + " since " + seconds(g.since()) + ": " + (g.last() == null ? "nothing repaired"
                        : g.repairs() + (g.repairs() == 1 ? " repair" : " repairs") + ", the last at "
                        + seconds(g.lastAt()) + ": " + g.last())));
    }

    /** What the supervisor guarding the ended rollout {@code s} records: empty while it runs or when none guards it. */
    private Optional<SupervisorProcess.Guarding> guarding(RolloutState s) {
        if (state.namespace() != null || !s.phase().terminal()) {
            return Optional.empty();
        }
        return SupervisorProcess.guarding(state.stateDir().resolve(app)).filter(g -> g.runId().equals(s.runId()));
    }

    private static Instant seconds(Instant t) {
        return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    /**
     * The trip of this rollout's guard at the app's router, when nothing drives the rollout to see it: the router cut
     * green on its own. Empty when there is none, or the router cannot be asked.
     */
    private java.util.Optional<dev.botshift.traffic.GuardTrip> routerGuardTrip(RolloutState s) {
        try {
            return RouterProcess.attach(state.stateDir().resolve(app).resolve("router"))
                    .map(r -> r.client().config())
                    .filter(c -> c.trip() != null && c.guard().rollout().equals(s.runId()))
                    .map(c -> c.trip());
        } catch (RuntimeException e) {
            return Optional.empty(); // a status never fails for a router it cannot ask
        }
    }

    private Integer stopCode(RolloutState s) {
        Phase p = s.phase();
        if (p instanceof Phase.Succeeded) {
            return ExitCode.OK;
        }
        if (s.refusedByExpandRehearsal()) {
            return ExitCode.INVALID_INPUT; // as deploy reports it: nothing ran
        }
        if (p instanceof Phase.RolledBack) {
            return ExitCode.ROLLED_BACK;
        }
        if (until == Until.ended) {
            return null;
        }
        if (p instanceof Phase.Failed) {
            return ExitCode.FAILED;
        }
        boolean waiting = p instanceof Phase.AwaitingApproval || p instanceof Phase.Paused;
        return until == Until.gate && waiting ? ExitCode.WAITING_AT_GATE : null;
    }

    private void print(RolloutState s) {
        Optional<JsonNode> bridge = bridge();
        System.out.print(output == Output.json ? StatusView.json(s, bridge, guarding(s), blocked(s)) + "\n"
                : StatusView.table(s, Instant.now(), bridge));
        System.out.flush();
    }

    /**
     * The polling bridge's counts, when the app's local router polls the Bot API: a bridge that cannot poll (another
     * consumer, a webhook set) or deliver leaves the rollout without traffic, and this is where the user sees why.
     */
    private Optional<JsonNode> bridge() {
        if (state.namespace() != null) {
            return Optional.empty(); // the in-cluster router's admin port is not this process's to reach
        }
        try {
            return RouterProcess.attach(state.stateDir().resolve(app).resolve("router"))
                    .flatMap(r -> r.client().polling());
        } catch (RuntimeException e) {
            return Optional.empty(); // a status never fails for a router it cannot ask
        }
    }

    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return DurationText.parse(value);
        }
    }
}
