package dev.botshift.cli;

import dev.botshift.display.Display;
import dev.botshift.display.Displays;
import dev.botshift.platform.Platforms;
import dev.botshift.platform.RolloutSession;
import dev.botshift.platform.StateOptions;
import dev.botshift.plan.Plan;
import dev.botshift.rollout.Outcome;
import dev.botshift.rollout.Request;
import dev.botshift.rollout.RolloutSettings;
import dev.botshift.schema.SchemaMigrator;
import java.io.PrintStream;

/** Runs a session with the terminal display and prints its outcome; returns the exit code. */
final class OutcomeReport {
    private OutcomeReport() {
    }

    /** The terminal display for a plan's rollout. */
    static Display display(Plan plan) {
        return Displays.forTerminal(System.err, RolloutSettings.from(plan));
    }

    /** Runs the session on the production platforms with {@code schema} (already linted by a deploy's preflight). */
    static int run(Plan plan, StateOptions state, Display display, SchemaMigrator schema, RolloutSession.Mode mode,
                   Request.Kind request, boolean detach, Output output) throws InterruptedException {
        Outcome outcome = new RolloutSession(plan, Platforms.factory(state, schema), System.getenv(), display.progress())
                .listener(display)
                .run(mode, request, detach);
        print(plan, outcome, output, System.out);
        return outcome.exitCode();
    }

    /** {@link #run} with the plan's own migrator, reporting to {@code display}. */
    static int run(Plan plan, StateOptions state, RolloutSession.Mode mode, Request.Kind request, boolean detach,
                   Output output) throws InterruptedException {
        Display display = display(plan);
        return run(plan, state, display, Platforms.schemaMigrator(plan, display.progress()::println), mode, request,
                detach, output);
    }

    static void print(Plan plan, Outcome outcome, Output output, PrintStream out) {
        if (output == Output.json) {
            out.println(StatusView.json(outcome.state()));
            return;
        }
        String app = plan.name() + " " + outcome.state().release();
        String name = plan.name();
        if (outcome instanceof Outcome.Succeeded) {
            out.println(app + ": SUCCEEDED — " + outcome.state().release() + " is the stable version");
        } else if (outcome instanceof Outcome.RolledBack r) {
            out.println(app + ": ROLLED BACK — " + r.reason() + ". The expanded schema stays (it is backward "
                    + "compatible). Fix the release, then deploy it again (a fresh attempt).");
        } else if (outcome instanceof Outcome.Waiting w) {
            out.println(app + ": WAITING (" + w.what() + "). 'botshift promote " + name + "' then 'botshift resume "
                    + name + "' to go on; 'botshift abort " + name + "' to roll back.");
        } else if (outcome instanceof Outcome.Failed f) {
            out.println(app + ": FAILED — " + f.reason() + ". See docs/runbook.md; 'botshift resume " + name
                    + "' retries.");
        }
    }
}
