package dev.botshift.cli;

import dev.botshift.core.ExitCode;
import dev.botshift.core.VisibleText;
import dev.botshift.display.Display;
import dev.botshift.display.Displays;
import dev.botshift.plan.Plan;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutSettings;
import dev.botshift.rollout.RolloutState;
import java.io.PrintStream;

/** What a command that follows a rollout prints at the end: one line a person or a pipeline can act on. */
final class OutcomeReport {
    private OutcomeReport() {
    }

    /** The terminal display for a plan's rollout. */
    static Display display(Plan plan) {
        return Displays.forTerminal(System.err, RolloutSettings.from(plan));
    }

    /** Prints that {@code release} is already the stable release, {@code last} being the app's last rollout. */
    static void alreadyStable(RolloutState last, String release, Output output, PrintStream out) {
        if (output == Output.json || last.phase() instanceof Phase.Succeeded) {
            print(last, ExitCode.OK, output, out);
            return;
        }
        out.println(last.app() + " " + release + ": the stable release (blue; " + last.release() + " was rolled back):"
                + " nothing to do");
    }

    /** Prints where the rollout stopped, as {@link Follow} returned it ({@code code}). */
    static void print(RolloutState s, int code, Output output, PrintStream out) {
        if (output == Output.json) {
            out.println(StatusView.json(s));
            return;
        }
        String app = s.app() + " " + s.release();
        String name = s.app();
        Phase p = s.phase();
        if (p instanceof Phase.Succeeded) {
            out.println(app + ": SUCCEEDED — " + s.release() + " is the stable version");
        } else if (s.refusedByExpandRehearsal()) {
            out.println(app + ": REFUSED — " + ((Phase.RolledBack) p).reason() + ". Nothing was changed.");
        } else if (p instanceof Phase.RolledBack r) {
            out.println(app + ": ROLLED BACK — " + r.reason() + ". The expanded schema stays (it is backward "
                    + "compatible). Fix the release, then deploy it again (a fresh attempt).");
        } else if (p instanceof Phase.Failed f) {
            out.println(app + ": FAILED — " + f.reason() + ". See docs/runbook.md; 'botshift resume " + name
                    + "' retries.");
        } else if (code == ExitCode.TIMED_OUT) {
            out.println(app + ": still " + p.code() + " when the time given ran out; it goes on (botshift status "
                    + name + ")" + Follow.blocked(s).map(b -> ", though its driver cannot drive it now: "
                    + VisibleText.of(b.why())).orElse(""));
        } else if (p instanceof Phase.AwaitingApproval a) {
            out.println(app + ": WAITING for approval (" + a.gate() + "); the judge keeps watching. 'botshift promote "
                    + name + "' to go on, 'botshift abort " + name + "' to roll back.");
        } else if (p instanceof Phase.Paused pa) {
            out.println(app + ": PAUSED (" + pa.reason() + "); the judge keeps watching. 'botshift resume " + name
                    + "' to go on, 'botshift abort " + name + "' to roll back.");
        } else {
            out.println(app + ": " + p.code());
        }
    }
}
