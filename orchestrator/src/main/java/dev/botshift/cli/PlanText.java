package dev.botshift.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botshift.core.DurationText;
import dev.botshift.core.InvalidInputException;
import dev.botshift.plan.Plan;
import dev.botshift.rollout.RolloutStart;
import dev.botshift.rollout.RolloutState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The rollout's steps, in words (or as one JSON object), for {@code botshift plan}. */
final class PlanText {
    private PlanText() {
    }

    /**
     * @param expandSql  null when the SQL was not asked for ({@code --no-sql})
     * @param rehearsal  whether the rehearsals will run here, in words (see {@link #rehearsal}); both depend on
     *                   pg_stat_statements alone
     */
    static String json(Plan p, String expandSql, String contractSql, String rehearsal) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode o = mapper.createObjectNode();
        o.put("app", p.name());
        o.put("release", p.release());
        o.put("platform", p.workload().platform());
        o.put("router", p.traffic().router());
        o.put("approval", p.approval().text());
        p.traffic().steps().forEach(o.putArray("steps")::add);
        o.put("expandRehearsal", rehearsal + EXPAND_FIRST_RELEASE);
        o.put("contractRehearsal", rehearsal);
        o.put("postContract", DurationText.format(p.analysis().postContract()));
        p.analysis().metrics().forEach(c -> o.withArray("checks").add(check(c)));
        if (expandSql != null) {
            o.put("expandSql", expandSql);
            o.put("contractSql", contractSql);
        }
        return o.toPrettyString();
    }

    /**
     * Whether the contract rehearsal will run: {@code unavailable} is the database's answer (empty: it will run),
     * null when the database was not asked ({@code --no-sql}).
     */
    /** The expand rehearsal's one condition beyond the database's. */
    static final String EXPAND_FIRST_RELEASE = " (never on an app's first release: there is no blue)";

    static String rehearsal(java.util.Optional<String> unavailable) {
        if (unavailable == null) {
            return "runs if the database has pg_stat_statements (not checked: --no-sql)";
        }
        return unavailable.map(why -> "will be skipped: " + why).orElse("will run (pg_stat_statements is available)");
    }

    /**
     * What {@code deploy} of {@code p} would do given the app's stored rollout ({@code null}: none), as
     * {@link RolloutStart} decides it: one line above the steps.
     */
    static String deployWould(RolloutState existing, Plan p) {
        RolloutStart start;
        try {
            start = RolloutStart.decide(existing, p.name(), p.release(), "-", "-",
                    Instant.EPOCH);
        } catch (InvalidInputException e) {
            return "deploy would refuse: " + e.getMessage();
        }
        if (start instanceof RolloutStart.AlreadyStable) {
            return "deploy would do nothing: " + p.release() + " is already the stable release.";
        }
        if (start instanceof RolloutStart.Continue c) {
            return "deploy would follow the rollout of " + p.release() + " under way (" + c.state().phase().code() + ").";
        }
        RolloutState fresh = ((RolloutStart.Fresh) start).state();
        if (fresh.firstRelease()) {
            return "This is " + p.name() + "'s first release: it goes live as soon as it is ready, without steps (there"
                    + " is no blue); the steps below are those of a later release.";
        }
        return "deploy would roll " + p.release() + " out to replace " + fresh.stableVersion() + " (blue)"
                + (fresh.attempt() > 1 ? ", attempt " + fresh.attempt() : "") + ".";
    }

    static String steps(Plan p, String rehearsal) {
        List<String> l = new ArrayList<>();
        l.add("Rollout of " + p.name() + " " + p.release() + " (" + p.workload().platform() + ", router "
                + p.traffic().router() + ", " + p.workload().replicas()
                + (p.workload().replicas() == 1 ? " replica" : " replicas") + " per colour):");
        int n = 1;
        l.add("  " + n++ + ". rehearse the expand: apply it in a transaction that is rolled back and prepare every "
                + "statement pg_stat_statements holds for the database (blue's); a statement that breaks refuses the "
                + "release before any changeset runs (exit 2, blue untouched). The rehearsal " + rehearsal
                + EXPAND_FIRST_RELEASE);
        l.add("  " + n++ + ". expand: apply the changesets labelled 'expand' of " + p.database().changelog());
        l.add("  " + n++ + ". start green and wait until it is ready (deadline "
                + DurationText.format(p.workload().progressDeadline()) + ")");
        for (int w : p.traffic().steps()) {
            l.add("  " + n++ + ". " + w + "% of traffic to green for " + DurationText.format(p.traffic().stepDuration())
                    + ", judged every " + DurationText.format(p.analysis().interval()) + " (" + p.analysis().provider() + ")"
                    + (p.approval().text().equals("every-step") ? ", after approval" : ""));
        }
        l.add("  " + n++ + ". bake at 100% for " + DurationText.format(p.bake())
                + (p.approval().text().equals("none") ? "" : ", then wait for approval"));
        l.add("  " + n++ + ". rehearse the contract: apply it in a transaction that is rolled back and prepare every "
                + "statement green ran at 100%; a statement that breaks refuses the contract and the rollout holds "
                + "with blue still running. The rehearsal " + rehearsal);
        int drain = n;
        l.add("  " + n++ + ". drain and stop blue");
        l.add("  " + n++ + ". contract: apply the changesets labelled 'contract' (point of no return)");
        if (!p.analysis().postContract().isZero()) {
            l.add("  " + n++ + ". keep judging green for " + DurationText.format(p.analysis().postContract())
                    + " after the contract: a failure cannot roll back and ends FAILED (exit 7), never SUCCEEDED");
        }
        l.add("  " + n + ". tear blue down; green is the stable release");
        l.add("A failed analysis (" + p.analysis().failureLimit() + " in a row), green never ready, or abort "
                + "before step " + drain + " rolls back: all traffic to blue, green stopped, schema kept.");
        if (!p.analysis().metrics().isEmpty()) {
            l.add("Custom checks, judged with every verdict: " + p.analysis().metrics().stream().map(PlanText::check)
                    .collect(java.util.stream.Collectors.joining("; ")));
        }
        l.add("kubernetes".equals(p.workload().platform()) ? "A restart or an OOM kill of green's pods fails the analysis."
                : "A green instance that dies (the guard starts it again) fails the analysis.");
        l.add("(An app's first release skips the steps: all traffic goes to it once ready.)");
        return String.join("\n", l);
    }

    /** "handler-failures (bot_handler_errors_total / bot_requests_total, max 0.05)" */
    static String check(dev.botshift.plan.MetricCheckSpec c) {
        List<String> parts = new ArrayList<>();
        parts.add(c.query() != null ? "PromQL" : c.counter().numerator() + " / " + c.counter().denominator());
        if (c.max() != null) {
            parts.add("max " + c.max());
        }
        if (c.min() != null) {
            parts.add("min " + c.min());
        }
        if (c.maxIncreaseOverBaseline() != null) {
            parts.add("at most blue + " + c.maxIncreaseOverBaseline());
        }
        if (c.dryRun()) {
            parts.add("dry run: recorded, not acted on");
        }
        return c.name() + " (" + String.join(", ", parts) + ")";
    }
}
