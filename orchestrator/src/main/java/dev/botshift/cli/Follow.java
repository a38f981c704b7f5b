package dev.botshift.cli;

import dev.botshift.core.ExitCode;
import dev.botshift.core.VisibleText;
import dev.botshift.rollout.ManualCommands;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.Request;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutListener;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.rollout.Snapshot;
import dev.botshift.state.StateStore;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Follows a rollout that a supervisor (or the controller) drives: reads the stored state a few times a second and
 * shows what is new to the display, until the rollout reaches where the command stops. Following never changes the
 * rollout; a Ctrl-C stops the following, not the rollout.
 */
final class Follow {
    static final Duration POLL = Duration.ofMillis(250);

    /** Where following ends. */
    enum Stop {
        /** at a gate or a pause too ({@code --detach}) */
        GATE,
        /** only when the rollout has ended, or stopped for a human (FAILED) */
        END
    }

    /** How often the driver's liveness is checked; it is declared gone only on two checks in a row. */
    static final Duration DRIVER_CHECK = Duration.ofSeconds(1);

    private final StateStore store;
    private final String app;
    private final RolloutListener display;
    private final PrintStream err;
    private final DriverWatch driver;
    private volatile RolloutState last;
    private Instant nextCheck = Instant.MIN;
    private int goneChecks;

    Follow(StateStore store, String app, RolloutListener display, PrintStream err, DriverWatch driver) {
        this.store = store;
        this.app = app;
        this.display = display;
        this.err = err;
        this.driver = driver;
    }

    /**
     * Follows {@code release} from event {@code from} of its history on.
     *
     * @param request a command this command handed in, or null: where it stops counts only once that is answered
     * @return the exit code of where it stopped: 0 succeeded, 3 rolled back, 4 at a gate or paused, 7 FAILED, 6 when
     *         {@code deadline} passed first
     */
    int follow(String release, int from, Stop stop, Instant deadline, Request request) throws InterruptedException {
        Thread hook = new Thread(this::stoppedFollowing, "botshift-follow-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            int shown = from;
            while (true) {
                Optional<RolloutState> read = store.read(app).map(v -> RolloutStateCodec.decode(v.json()));
                if (read.isPresent() && read.get().release().equals(release)) {
                    RolloutState s = read.get();
                    last = s;
                    for (int i = Math.min(shown, s.history().size()); i < s.history().size(); i++) {
                        display.onEvent(s.history().get(i), s);
                    }
                    shown = s.history().size();
                    display.onTick(s, new Snapshot(Instant.now(), null, 0, null, null, null));
                    boolean answered = request == null || ManualCommands.answer(s, request.id()).isPresent();
                    Integer code = answered ? stopCode(s, stop) : null;
                    if (code != null) {
                        return code;
                    }
                }
                if (deadline != null && Instant.now().isAfter(deadline)) {
                    return ExitCode.TIMED_OUT;
                }
                Optional<DriverWatch.Gone> gone = driverGone();
                if (gone.isPresent()) {
                    err.println("botshift: " + gone.get().message());
                    return gone.get().exitCode();
                }
                Thread.sleep(POLL.toMillis());
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it says what happened
            }
        }
    }

    /**
     * Waits for the answer to {@code request}: the {@code CommandAccepted} or {@code CommandRefused} the driver
     * records when it takes the command in (within one analysis interval).
     *
     * @return the answer, or empty when {@code deadline} passed first
     */
    Optional<RolloutEvent> answer(Request request, Instant deadline) throws InterruptedException {
        String said = null;
        while (true) {
            Optional<RolloutState> read = store.read(app).map(v -> RolloutStateCodec.decode(v.json()));
            if (read.isPresent()) {
                last = read.get();
                Optional<RolloutEvent.DriverBlocked> blocked = blocked(last);
                if (blocked.isPresent() && !blocked.get().why().equals(said)) {
                    // said at once: the request waits for a driver that cannot take it in now, and says why
                    err.println("botshift: " + request.kind().text() + " waits: "
                            + VisibleText.of(blocked.get().describe()));
                    said = blocked.get().why();
                }
                Optional<RolloutEvent> answer = ManualCommands.answer(read.get(), request.id());
                if (answer.isPresent()) {
                    return answer;
                }
                if (read.get().phase().terminal()) {
                    // ended before its driver took the request in: nothing will answer it
                    return Optional.of(new RolloutEvent.CommandRefused(Instant.now(), request.kind(), request.by(),
                            "the rollout ended (" + read.get().phase().code() + ") before it took the request",
                            request.id()));
                }
            }
            if (Instant.now().isAfter(deadline)) {
                return Optional.empty();
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Why the rollout's driver cannot drive it, when that is the last thing its history says. */
    static Optional<RolloutEvent.DriverBlocked> blocked(RolloutState s) {
        List<RolloutEvent> h = s.history();
        return !h.isEmpty() && h.get(h.size() - 1) instanceof RolloutEvent.DriverBlocked b ? Optional.of(b)
                : Optional.empty();
    }

    /** The driver, checked every {@link #DRIVER_CHECK}: gone only when two checks in a row found it gone. */
    private Optional<DriverWatch.Gone> driverGone() {
        Instant now = Instant.now();
        if (now.isBefore(nextCheck)) {
            return Optional.empty();
        }
        nextCheck = now.plus(DRIVER_CHECK);
        Optional<DriverWatch.Gone> gone = driver.gone();
        goneChecks = gone.isPresent() ? goneChecks + 1 : 0;
        return goneChecks >= 2 ? gone : Optional.empty();
    }

    /** The last state seen. */
    RolloutState last() {
        return last;
    }

    static Integer stopCode(RolloutState s, Stop stop) {
        Phase p = s.phase();
        if (!s.requests().isEmpty()) {
            return null; // a command is about to be answered
        }
        if (p instanceof Phase.Succeeded) {
            return ExitCode.OK;
        }
        if (s.refusedByExpandRehearsal()) {
            return ExitCode.INVALID_INPUT; // as a refused changeset: nothing ran (docs/rollout.md)
        }
        if (p instanceof Phase.RolledBack) {
            return ExitCode.ROLLED_BACK;
        }
        if (p instanceof Phase.Failed) {
            return ExitCode.FAILED;
        }
        boolean waiting = p instanceof Phase.AwaitingApproval || p instanceof Phase.Paused;
        return stop == Stop.GATE && waiting ? ExitCode.WAITING_AT_GATE : null;
    }

    /** Ctrl-C (or a CI job cancelled): say that only the following stopped. */
    private void stoppedFollowing() {
        RolloutState s = last;
        err.println();
        err.println("botshift: stopped following; the rollout goes on" + (s == null ? "" : " (" + s.app() + " "
                + s.release() + " is " + s.phase().code() + ")") + ". Follow it again: botshift status " + app
                + " --watch");
        err.flush();
    }
}
