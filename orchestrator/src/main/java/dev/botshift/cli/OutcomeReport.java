package dev.botshift.cli;

import dev.botshift.display.Display;
import dev.botshift.display.Displays;
import dev.botshift.platform.RolloutSession;
import dev.botshift.platform.StateOptions;
import dev.botshift.plan.Plan;
import dev.botshift.rollout.Outcome;
import dev.botshift.rollout.Request;
import dev.botshift.rollout.RolloutSettings;
import java.io.PrintStream;

/** Runs a session with the terminal display and prints its outcome; returns the exit code. */
final class OutcomeReport {
    private OutcomeReport() {
    }

    static int run(Plan plan, StateOptions state, RolloutSession.Mode mode, Request.Kind request, boolean detach,
                   Output output) throws InterruptedException {
        Display display = Displays.forTerminal(System.err, RolloutSettings.from(plan));
        Outcome outcome = new RolloutSession(plan, state, System.getenv(), display.progress())
                .listener(display)
                .run(mode, request, detach);
        print(plan, outcome, output, System.out);
        return outcome.exitCode();
    }

    static void print(Plan plan, Outcome outcome, Output output, PrintStream out) {
        if (output == Output.json) {
            out.println(StatusView.json(outcome.state()));
            return;
        }
        String app = plan.name() + " " + outcome.state().release();
        String name = plan.name();
        if (outcome instanceof Outcome.Succeeded) {
            out.println(app + ": SUCCEEDED — stable on " + outcome.state().candidate().label());
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
