package dev.botshift.demo;

import dev.botshift.display.Display;
import dev.botshift.display.Displays;
import dev.botshift.display.EventLog;
import dev.botshift.platform.Platforms;
import dev.botshift.platform.RolloutSession;
import dev.botshift.platform.StateOptions;
import dev.botshift.plan.Plan;
import dev.botshift.plan.PlanLoader;
import dev.botshift.plan.PollingSpec;
import dev.botshift.plan.TrafficSpec;
import dev.botshift.rollout.Outcome;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutListener;
import dev.botshift.rollout.RolloutSettings;
import dev.botshift.rollout.Until;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The demo's rollouts, run in its own JVM as {@code botshift deploy} would run them (the display on stderr, the events
 * as JSON lines with {@code -o json}), each told as a scenario of the summary; and the demo's lines between them.
 */
final class DemoRollouts {
    private final StateOptions state;
    private final Map<String, String> env;
    private final boolean json;
    private final PrintStream out;
    private final PrintStream err;

    /** @param json {@code -o json}: the events as JSON lines on {@code err}, the summary as JSON on {@code out} */
    DemoRollouts(StateOptions state, Map<String, String> env, boolean json, PrintStream out, PrintStream err) {
        this.state = state;
        this.env = env;
        this.json = json;
        this.out = out;
        this.err = err;
    }

    /** A line of the story, on stderr with the display (stdout carries only the summary). */
    void say(String line) {
        err.println(line);
    }

    Outcome rollout(Plan plan) throws InterruptedException {
        return rollout(plan, null);
    }

    /** @param also a listener of the rollout's events besides the display (the bridge's crash), or null */
    Outcome rollout(Plan plan, RolloutListener also) throws InterruptedException {
        Display display = json ? new EventLog(err) : Displays.forTerminal(err, RolloutSettings.from(plan));
        RolloutSession session = new RolloutSession(plan, Platforms.factory(state, Platforms.schemaMigrator(plan,
                display.progress()::println), env), env, display.progress()).listener(display);
        if (also != null) {
            session.listener(also);
        }
        return session.run(RolloutSession.Mode.DEPLOY, null, Until.FAILURE);
    }

    DemoSummary.Scenario scenario(Plan plan, String label) throws InterruptedException {
        return scenario(plan, label, null);
    }

    /** Runs {@code plan} to its end and says how it ended; @param also as {@link #rollout(Plan, RolloutListener)} */
    DemoSummary.Scenario scenario(Plan plan, String label, RolloutListener also) throws InterruptedException {
        Instant start = Instant.now();
        Outcome o = rollout(plan, also);
        double duration = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        Double rollbackSeconds = o instanceof Outcome.RolledBack ? rollbackSeconds(o) : null;
        String outcome = o instanceof Outcome.RolledBack ? "ROLLED_BACK" : o instanceof Outcome.Succeeded ? "SUCCEEDED"
                : o.state().phase().code();
        say("=> " + label + ": " + outcome + (rollbackSeconds != null
                ? String.format(java.util.Locale.ROOT, " (green back to 0 %% %.1f s after it first got traffic)", rollbackSeconds) : ""));
        return new DemoSummary.Scenario(label, outcome, rollbackSeconds, duration, 0,
                o instanceof Outcome.RolledBack r ? r.reason() : null);
    }

    /**
     * Prints the summary on stdout (JSON with {@code -o json}, else the table and {@code passed} or a failure line);
     * answers the demo's exit code.
     *
     * @param stats the chat platform's, for the table's redelivery line; null where the chats were polled
     */
    int report(DemoSummary summary, boolean ok, ChatStats stats, String passed) {
        if (json) {
            out.println(summary.toJson());
        } else {
            out.println(summary.toText(stats));
            out.println(ok ? passed : "Demo FAILED: see above.");
        }
        return ok ? 0 : 1;
    }

    /** Stops what {@code plan}'s app left running (its bots, its router, its supervisor). */
    void tearDown(Plan plan) {
        Platforms.tearDownLocal(plan, state, err);
    }

    /** From the first moment green had traffic to the moment it had none again. */
    static Double rollbackSeconds(Outcome o) {
        Instant onset = null;
        Instant back = null;
        for (RolloutEvent e : o.state().history()) {
            if (e instanceof RolloutEvent.TrafficShifted t) {
                if (onset == null && t.split().green() > 0) {
                    onset = t.at();
                } else if (onset != null && t.split().green() == 0 && back == null) {
                    back = t.at();
                }
            } else if (e instanceof RolloutEvent.GuardTripped g && onset != null && back == null) {
                back = g.at(); // the router cut green itself, before the rollback set the split
            }
        }
        return onset == null || back == null ? null : Duration.between(onset, back).toMillis() / 1000.0;
    }

    /** @param polling the bridge's settings for a polling bot, or null for webhooks */
    static Plan load(Path file, Map<String, String> env, int port, PollingSpec polling) {
        Plan p = PlanLoader.load(file, env);
        TrafficSpec t = p.traffic();
        TrafficSpec routed = new TrafficSpec(t.router(), t.stickyBy(), t.steps(), t.stepDuration(), port, t.resource(),
                null, polling == null ? TrafficSpec.WEBHOOK : TrafficSpec.TELEGRAM_POLLING, polling, t.answerTimeout());
        return new Plan(p.name(), p.release(), p.database(), p.workload(), routed, p.analysis(), p.bake(), p.approval(),
                p.notifications(), p.source());
    }
}
