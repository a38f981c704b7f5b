package dev.botshift.display;

import dev.botshift.analysis.Counts;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutListener;
import dev.botshift.rollout.RolloutSettings;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.Snapshot;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Help.Ansi;

/**
 * A live panel for an interactive terminal: events scroll above, and a few status lines (phase, weights, per-colour
 * traffic and errors, recent verdicts, time to the next step) are redrawn in place below them.
 */
final class LiveView implements Display {
    private final PrintStream out;
    private final RolloutSettings settings;
    private int panelLines;
    private List<String> panel = List.of();
    private final PrintStream progress;

    LiveView(PrintStream out, RolloutSettings settings) {
        this.out = out;
        this.settings = settings;
        this.progress = new PrintStream(out, true) {
            @Override
            public void println(String line) {
                line(line);
            }
        };
    }

    @Override
    public PrintStream progress() {
        return progress;
    }

    /** A progress line above the panel; the panel is drawn again below it. */
    private synchronized void line(String text) {
        clearPanel();
        out.println(text);
        drawPanel();
    }

    @Override
    public synchronized void onEvent(RolloutEvent event, RolloutState state) {
        clearPanel();
        String slot = event instanceof RolloutEvent.RolledBack || event instanceof RolloutEvent.EffectFailed
                || event instanceof RolloutEvent.GuardTripped || event instanceof RolloutEvent.DriverBlocked
                ? "red" : event instanceof RolloutEvent.PhaseChanged ? "bold" : "faint";
        out.println(Ansi.AUTO.string("@|" + slot + " " + event.at().toString().substring(11, 19) + "  "
                + escape(dev.botshift.core.VisibleText.of(event.describe())) + "|@"));
        drawPanel();
    }

    @Override
    public synchronized void onTick(RolloutState s, Snapshot snapshot) {
        clearPanel();
        List<String> lines = new ArrayList<>();
        lines.add(Ansi.AUTO.string("@|bold " + s.app() + " " + s.release() + "|@  " + s.phase().code()
                + stepText(s) + remaining(s, snapshot)));
        if (serving(s)) {
            lines.add("  traffic   " + bar(s.split().blue(), "blue") + "  " + bar(s.split().green(), "green"));
        }
        RolloutEvent.AnalysisResult last = lastVerdict(s);
        if (last != null) {
            lines.add("  window    " + counts("blue", last.blue()) + "   " + counts("green", last.green()));
            StringBuilder marks = new StringBuilder();
            for (RolloutEvent e : s.recentVerdicts()) {
                if (e instanceof RolloutEvent.AnalysisResult r) {
                    marks.append(switch (r.verdict()) {
                        case PASS -> "@|green ✔|@";
                        case FAIL -> "@|red ✘|@";
                        default -> "@|yellow ?|@";
                    });
                }
            }
            lines.add(Ansi.AUTO.string("  verdicts  " + marks + "  " + escape(truncate(last.reason(), 90))));
        }
        panel = lines;
        drawPanel();
    }

    private void drawPanel() {
        panel.forEach(out::println);
        panelLines = panel.size();
        out.flush();
    }

    /** Before the first step of a first release nothing serves yet: no traffic bar to show. */
    private static boolean serving(RolloutState s) {
        Phase p = s.phase();
        boolean beforeTraffic = p instanceof Phase.Pending || p instanceof Phase.Expanding || p instanceof Phase.DeployingGreen;
        return !(beforeTraffic && s.firstRelease());
    }

    private void clearPanel() {
        for (int i = 0; i < panelLines; i++) {
            out.print("\u001b[1A\u001b[2K");
        }
        panelLines = 0;
    }

    private String stepText(RolloutState s) {
        if (s.phase() instanceof Phase.Shifting sh) {
            List<Integer> steps = s.firstRelease() ? List.of(100) : settings.steps();
            return " step " + (sh.step() + 1) + "/" + steps.size();
        }
        return "";
    }

    private String remaining(RolloutState s, Snapshot snapshot) {
        Duration total = s.phase() instanceof Phase.Shifting ? settings.stepDuration()
                : s.phase() instanceof Phase.Baking ? settings.bake() : null;
        if (total == null || snapshot == null) {
            return "";
        }
        long left = total.minus(Duration.between(s.phaseSince(), snapshot.now())).toSeconds();
        return "  (next in " + Math.max(0, left) + "s)";
    }

    private static RolloutEvent.AnalysisResult lastVerdict(RolloutState s) {
        for (int i = s.recentVerdicts().size() - 1; i >= 0; i--) {
            if (s.recentVerdicts().get(i) instanceof RolloutEvent.AnalysisResult r && r.green() != null) {
                return r;
            }
        }
        return null;
    }

    /** A bar in the role's own colour: the words blue and green are also the terminal colours they are drawn in. */
    private static String bar(int percent, String role) {
        int cells = percent / 5;
        return Ansi.AUTO.string(String.format("%-5s %3d%% @|%s %s|@%s", role, percent, role, "█".repeat(cells),
                " ".repeat(20 - cells)));
    }

    private static String counts(String slot, Counts c) {
        if (c == null) {
            return slot + " -";
        }
        return String.format(Locale.ROOT, "%s %d req %.1f%% err", slot, c.requests(), c.errorRate() * 100);
    }

    private static String truncate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }

    private static String escape(String s) {
        return s.replace("@|", "@ |");
    }
}
