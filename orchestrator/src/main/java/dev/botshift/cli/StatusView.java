package dev.botshift.cli;

import dev.botshift.core.VisibleText;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botshift.analysis.CheckResult;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@code botshift status}: a human table, or one JSON object. */
final class StatusView {
    private StatusView() {
    }

    static String json(RolloutState s) {
        return json(s, Optional.empty(), Optional.empty(), Blocked.inHistoryOf(s));
    }

    /**
     * Why the driver cannot drive an open rollout: its history's last word ({@code inHistory}), or what the local
     * supervisor recorded beside the history (which may be what it cannot write, or has this cause already).
     */
    record Blocked(RolloutEvent.DriverBlocked event, boolean inHistory) {
        /** The history's own, while it is the history's last word and the rollout is open. */
        static Optional<Blocked> inHistoryOf(RolloutState s) {
            return s.phase().terminal() ? Optional.empty() : Follow.blocked(s).map(b -> new Blocked(b, true));
        }
    }

    /**
     * @param bridge   the app's polling bridge's counts ({@code GET /botshift/polling}), when its router polls
     * @param guarding what the supervisor guarding the ended rollout has repaired since, when one guards it
     * @param blocked  why the driver cannot drive the open rollout
     */
    static String json(RolloutState s, Optional<JsonNode> bridge,
                       Optional<dev.botshift.supervise.local.SupervisorProcess.Guarding> guarding,
                       Optional<Blocked> blocked) {
        ObjectNode node = RolloutStateCodec.mapper().valueToTree(s);
        ObjectNode summary = node.objectNode();
        summary.put("app", s.app());
        summary.put("release", s.release());
        summary.put("attempt", s.attempt());
        summary.put("phase", s.phase().code());
        summary.put("detail", detail(s.phase()));
        summary.put("ended", s.phase().terminal());
        summary.put("blueVersion", s.stableVersion());
        summary.put("greenWeight", s.split().green());
        // each custom check and resource signal as the last verdict saw it: name, value, limit, verdict, dryRun
        summary.set("checks", RolloutStateCodec.mapper().valueToTree(lastChecks(s)));
        bridge.ifPresent(b -> summary.set("polling", b));
        guarding.ifPresent(g -> {
            ObjectNode guard = summary.putObject("guarding");
            guard.put("since", g.since().toString());
            guard.put("repairs", g.repairs());
            guard.put("lastAt", g.lastAt() == null ? null : g.lastAt().toString());
            guard.put("last", g.last());
            guard.put("trouble", g.trouble());
        });
        blocked.ifPresent(b -> {
            ObjectNode driverBlocked = summary.putObject("driverBlocked");
            driverBlocked.put("at", b.event().at().toString());
            driverBlocked.put("driver", b.event().driver());
            driverBlocked.put("why", b.event().why());
            driverBlocked.put("inHistory", b.inHistory());
        });
        summary.set("state", node);
        try {
            return RolloutStateCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(summary);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String table(RolloutState s, Instant now) {
        return table(s, now, Optional.empty());
    }

    /** @param bridge the app's polling bridge's counts ({@code GET /botshift/polling}), when its router polls */
    static String table(RolloutState s, Instant now,
                        Optional<JsonNode> bridge) {
        StringBuilder b = new StringBuilder();
        row(b, "App", s.app());
        row(b, "Release", s.release() + " (attempt " + s.attempt() + ", run " + s.runId() + ")");
        row(b, "Replacing", s.firstRelease() ? "nothing (first release)" : s.stableVersion() + " (blue)");
        row(b, "Phase", s.phase().code() + detailSuffix(s.phase()) + "  (for " + human(Duration.between(s.phaseSince(), now)) + ")");
        // a first release has no blue: "blue 100%" would name a version that does not exist
        row(b, "Traffic", s.firstRelease() && s.split().green() == 0 ? "none (first release: no blue; green 0%)"
                : s.split().toString());
        bridge.ifPresent(node -> row(b, "Polling", bridge(node)));
        row(b, "Analysis", s.analysis().failures().describe() + "; " + s.analysis().inconclusiveStreak()
                + " inconclusive in a row");
        List<RolloutEvent> verdicts = s.recentVerdicts();
        if (!verdicts.isEmpty()) {
            RolloutEvent last = verdicts.get(verdicts.size() - 1);
            row(b, "Last verdict", last.describe());
        }
        List<CheckResult> checks = lastChecks(s);
        if (!checks.isEmpty()) {
            b.append("Checks:\n");
            int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(0);
            for (CheckResult c : checks) {
                b.append(String.format("  %-" + width + "s  %-12s  %-26s  %s%s%n", c.name(),
                        c.shown() == null ? "no data" : c.shown(), c.limit() == null ? "" : c.limit(), c.verdict(),
                        c.dryRun() ? "  (dry run: recorded, not acted on)" : ""));
            }
        }
        expandRehearsal(s).ifPresent(r -> row(b, "Expand check", r));
        rehearsal(s).ifPresent(r -> row(b, "Rehearsal", r));
        if (!s.requests().isEmpty()) {
            row(b, "Pending", s.requests().stream().map(r -> r.kind().text() + " by " + r.by()).toList().toString());
        }
        b.append("History:\n");
        List<RolloutEvent> h = s.history();
        for (RolloutEvent e : h.subList(Math.max(0, h.size() - 15), h.size())) {
            b.append("  ").append(e.at()).append("  ").append(VisibleText.of(e.describe())).append('\n');
        }
        return b.toString();
    }

    /** The checks' results of the last verdict; empty when the plan has none or nothing was judged yet. */
    static List<CheckResult> lastChecks(RolloutState s) {
        List<RolloutEvent> verdicts = s.recentVerdicts();
        return !verdicts.isEmpty() && verdicts.get(verdicts.size() - 1) instanceof RolloutEvent.AnalysisResult r
                ? r.checks() : List.of();
    }

    /** The expand rehearsal's latest result, if it ran (or was skipped) in this rollout. */
    static java.util.Optional<String> expandRehearsal(RolloutState s) {
        for (int i = s.history().size() - 1; i >= 0; i--) {
            if (s.history().get(i) instanceof RolloutEvent.ExpandRehearsed r) {
                return java.util.Optional.of(r.describe());
            }
        }
        return Optional.empty();
    }

    /** The contract rehearsal's result, else whether green's statements are being recorded for it. */
    static java.util.Optional<String> rehearsal(RolloutState s) {
        String recording = null;
        for (int i = s.history().size() - 1; i >= 0; i--) {
            RolloutEvent e = s.history().get(i);
            if (e instanceof RolloutEvent.ContractRehearsed r) {
                return java.util.Optional.of(r.describe());
            }
            if (recording == null && e instanceof RolloutEvent.StatementsRecording r) {
                recording = r.recording() ? "not yet run; recording green's statements since " + r.at() : r.detail();
            }
        }
        return java.util.Optional.ofNullable(recording);
    }

    static String detail(Phase p) {
        if (p instanceof Phase.Shifting sh) {
            return "step " + (sh.step() + 1);
        }
        if (p instanceof Phase.AwaitingApproval a) {
            return a.gate();
        }
        if (p instanceof Phase.Paused pa) {
            return pa.reason();
        }
        if (p instanceof Phase.RolledBack r) {
            return r.reason();
        }
        if (p instanceof Phase.RollingBack r) {
            return r.reason();
        }
        if (p instanceof Phase.Failed f) {
            return f.reason();
        }
        return "";
    }

    /** The bridge's counts in one line, its last problem (token redacted by the bridge) after them. */
    static String bridge(JsonNode n) {
        String line = n.path("received").asLong() + " updates received, " + n.path("delivered").asLong()
                + " acknowledged, " + n.path("inFlight").asLong() + " in flight, " + n.path("deadLettered").asLong()
                + " dead-lettered; " + n.path("conflicts").asLong() + " conflicts (409), "
                + n.path("pollFailures").asLong() + " failed polls; calls in answers " + n.path("replies").asLong()
                + " made, " + n.path("replyFailures").asLong() + " failed";
        String problem = n.path("lastProblem").asText("");
        return problem.isEmpty() ? line : line + "; last problem: " + problem;
    }

    private static String detailSuffix(Phase p) {
        String d = detail(p);
        return d.isEmpty() ? "" : " — " + d;
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append(String.format("%-13s %s%n", k + ":", v));
    }

    static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s < 120 ? s + "s" : s / 60 + "m" + (s % 60) + "s";
    }
}
