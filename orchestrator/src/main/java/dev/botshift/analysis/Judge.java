package dev.botshift.analysis;

import java.util.List;
import java.util.Locale;

/**
 * Decides, for one analysis interval, whether green (the new colour) is failing. Pure: no I/O, no clock.
 *
 * <p>Two tests run side by side; either one failing fails the interval:
 * <ul>
 *   <li><b>Interval test.</b> Green fails when the lower end of the one-sided 95 % Wilson score interval of its
 *       error rate lies above the limit. The limit is {@code min(maxErrorRate, blueRate + maxIncreaseOverBaseline)}
 *       when blue has had enough requests to be a baseline, else {@code maxErrorRate}. Blue's rate is summed over
 *       the step (and the step before it, {@link JudgeMemory#newStep}), not taken from one interval: a single interval
 *       of blue is too noisy. Using the confidence bound
 *       instead of the raw rate keeps a handful of unlucky requests from failing a release.</li>
 *   <li><b>Sequential test (CUSUM).</b> Evidence accumulates across intervals as the log-likelihood ratio of
 *       "green errs at the limit" against "green errs like the baseline"; green fails when the sum crosses
 *       {@code ln(1/α)} with α = 1/4000. A moderate but real rise is caught after a few intervals, where the
 *       interval test alone would need one very bad interval; noise at the baseline drifts the sum back to 0. Its
 *       crossing is <i>decisive</i>: the threshold already bounds its false alarms, so it rolls back by itself
 *       instead of counting as one failure towards {@code failureLimit} (which would ask a spike the test has already
 *       proven to prove itself again). Where the metrics are live the rollout looks into each interval as it runs
 *       ({@link #judgeLooked}): the sums are then clamped at each look, as Page's CUSUM is at the granularity the
 *       counts were read at, and both thresholds are higher ({@link #lookedMargin}, by the looks' size).</li>
 * </ul>
 * <p>A failed interval test can weigh more than one failure: when green's errors are so many that a green erring at
 * the limit would show as many with probability below 0.05² (or 0.05³) — an exact binomial tail, because the Wilson
 * bound is too lenient that far out with a hundred requests — that one interval is as unlikely under a healthy green
 * as two (three) failed 95 % intervals in a row, so it counts as two (three) towards {@code failureLimit}. A glaring spike then rolls
 * back after one interval instead of waiting for a second, at the false-rollback risk {@code failureLimit} already
 * accepts (not against a blue failing too: there one interval is one failure).
 * Fewer than {@code minRequests} green requests make the interval <i>inconclusive</i> (the CUSUM still keeps their
 * evidence for the next interval). When blue itself is failing (below), green only fails if it is clearly
 * worse than blue: a shared cause (database, platform) is not green's fault, and rolling back would not help, so the verdict is
 * inconclusive and enough of those pause the rollout for a human. Blue counts as failing on this interval's blue alone
 * (above {@code maxErrorRate}, or above the limit its pool sets green: {@link #failingPart}),
 * or, where it is looked into, on its latest part at the end or at any look (an outage that began late in the interval
 * or ended early in it): green is then held to that part of blue by the interval test, its sums are held where they
 * were, and the interval stays out of blue's pool. Or on its pool over the step (a blue failing a little all along:
 * the sums walk against its rate). A blue that errs above its own pool in an interval without failing by itself
 * shares a milder cause with green (a blip of a second in 30 s read once): green is weighed against that interval's
 * blue, its limit and its sums, and the interval stays out of blue's pool ({@link #blueAbovePool}).
 * <p>With {@code analysis.latency}, green also fails when it is too slow ({@link LatencyRule}), judged on the same
 * interval and the same sample-size rule.
 */
public final class Judge {
    /** One-sided 95 %. */
    private static final double Z = 1.645;
    /** Tail probabilities at the limit below which a failed verdict weighs 2 and 3 failures: 0.05² and 0.05³. */
    private static final double[] WEIGHT_TAILS = {0.05 * 0.05, 0.05 * 0.05 * 0.05};
    /**
     * CUSUM decision threshold: ln(1/α), α = 1/4000. Its crossing rolls back by itself, so it is stricter than the 1/1000
     * it was when a crossing counted as one failure of {@code failureLimit}: the benchmark's simulation (part 3, with
     * {@link SequentialTest#against}'s healthy rate of at least a third of the limit) gives 0.28 % false alarms over
     * 60 healthy intervals (1.24 % before) and a mean of 344 green requests to catch 1 % -> 5 % (354 before); ln(1000)
     * and ln(2000) gave 0.89 % and 0.44 %, and were no nearer the oracle at their own false-alarm rates.
     */
    public static final double CUSUM_THRESHOLD = Math.log(4000);
    /**
     * The threshold of the second sum, against {@link SequentialTest#steep()}'s rise of three times the limit:
     * ln(20000), so the two sums together are held to about the false alarms of the first alone (benchmark part 3:
     * 0.30 % of healthy 60-interval rollouts against 0.28 %; ln(8000) gave 0.33 %, and the oracle held to that rate
     * moved ahead to a median ratio of 1.50).
     */
    public static final double STEEP_THRESHOLD = Math.log(20000);
    /**
     * What both thresholds add where the interval is looked into ({@link #judgeLooked}), by the looks' size {@code n}
     * (green's requests per look): {@code max(0, LOOKED_MARGIN_BASE + LOOKED_MARGIN_SLOPE × ln n)}. A sum clamped at
     * 0 at every look, not once an interval, no longer lets the clean part of an interval before a spike weigh against
     * it, and for the same reason, checked at every look, crosses a given threshold more often on healthy traffic: the
     * more so the more each look holds. The margin holds the walked sums to the false alarms of the sums read once an
     * interval at every rate: a simulation with this judge (bench.yaml's limits, blue three times green's traffic at
     * 1 % errors, 10 looks an interval, 20,000 healthy rollouts of 60 intervals per rate, the same traffic both ways)
     * found the margin of equal false alarms at 1.31 for 5 requests a look, 1.53 for 10, 1.88 for 20, 2.19 for 50 and
     * 3.06 for 100; this line through them leaves the walked sums at 0.8 to 1.4 times the read-once false alarms
     * (benchmark part 11, {@code ./benchmarks/run --only=looks}), where the single margin of 0.9 used before left them
     * at 1.4 (5 a look) to 9 (100 a look) times.
     */
    static final double LOOKED_MARGIN_BASE = 0.30;
    static final double LOOKED_MARGIN_SLOPE = 0.55;

    /** How much higher both thresholds are for sums walked through looks of {@code requestsPerLook} each. */
    public static double lookedMargin(double requestsPerLook) {
        return Math.max(0, LOOKED_MARGIN_BASE + LOOKED_MARGIN_SLOPE * Math.log(Math.max(1, requestsPerLook)));
    }

    private final JudgeSettings settings;

    public Judge(JudgeSettings settings) {
        this.settings = settings;
    }

    /** The verdict and the memory for the next interval. */
    public record Judgement(Verdict verdict, JudgeMemory memory) {
        /** The sequential test crossed: a failure that rolls back by itself, however often it is looked at. */
        public boolean decisive() {
            return verdict instanceof Verdict.Fail f && f.decisive();
        }
    }

    /**
     * An interval read once, at its end (where the metrics are not live, e.g. from Prometheus): the sums are clamped
     * at 0 once an interval.
     *
     * @param blue   blue's requests and errors in this interval, or null when there is no blue (first release) or
     *               no data for it; added to the baseline kept in {@code memory}
     * @param green  green's requests and errors in this interval
     * @param memory what the previous interval left
     */
    public Judgement judge(Counts blue, Counts green, JudgeMemory memory) {
        return judge(blue, green, memory, List.of(), List.of(), false);
    }

    /**
     * An interval looked into as it runs (the rollout's looks between ticks where the metrics are live): the sums
     * walk from look to look, clamped at 0 at each, and the test is decisive when they crossed their thresholds
     * ({@link #lookedMargin} higher) at any look or at {@code green}.
     *
     * @param looks green's counts at the earlier looks into this interval, each since the interval's start, in
     *              order; a look that does not fit between its neighbours and {@code green} (a restarted counter) is
     *              left out
     */
    public Judgement judgeLooked(Counts blue, Counts green, JudgeMemory memory, List<Counts> looks) {
        return judge(blue, green, memory, looks, List.of(), true);
    }

    /**
     * As {@link #judgeLooked(Counts, Counts, JudgeMemory, List)}, with blue's counts at its own looks into the
     * interval too ({@code blueLooks}, each since the interval's start, in order): blue also counts as failing by
     * itself on its latest part with {@code minRequests} requests at the end or at any look ({@link #failingPart}),
     * not only on the whole interval. An outage that begins late in an interval shows in blue's latest looks before
     * it shows over the interval, whose healthy start dilutes it: at 300 of blue's requests a second, an interval's
     * first 0.7 s of healthy answers kept blue from "failing" while green's sums, held to blue in normal service,
     * crossed on green's first few errors.
     */
    public Judgement judgeLooked(Counts blue, Counts green, JudgeMemory memory, List<Counts> looks,
                                 List<Counts> blueLooks) {
        return judge(blue, green, memory, looks, blueLooks, true);
    }

    /**
     * The part of blue that fails by itself in this interval (with what blue answered after it), or null when none
     * does: the interval as a whole, above
     * {@code maxErrorRate} or above the limit blue in normal service sets green ({@code normalLimit}), else its latest
     * part with {@code minRequests} requests at the interval's end or at any look into it, the latest first, above
     * {@code maxErrorRate}.
     * <ul>
     *   <li>A blue that would fail green's own limit over the whole interval is no longer blue in normal service:
     *   a shared outage of a second in an interval read once (30 s from Prometheus: blue and green both at 4.3 %
     *   where blue's pool gave green 3.2 %) rolled the sound release back on the sequential test (2026-12-07). Over
     *   a whole interval a healthy blue seldom looks so (at 1 % against 3 %: once in 630 intervals of 50 requests,
     *   in 1,900 of 100, in 350,000 of 300); a look's latest part would look so that often at every look, ten times
     *   an interval, so a part is held to {@code maxErrorRate}.</li>
     *   <li>An outage that begins late in an interval shows in the latest part at the end; one that ended early in it
     *   shows in an earlier look's, though the healthy answers since dilute it over the interval (2026-12-07: green's
     *   first stretch, 17 errors in 35 in the outage, was then walked against blue in normal service and rolled
     *   back).</li>
     * </ul>
     */
    private Failing failingPart(Counts blue, List<Counts> blueLooks, double normalLimit) {
        if (failsAbove(blue, Math.min(settings.maxErrorRate(), normalLimit))) {
            return new Failing(blue.withLatency(null), Counts.ZERO);
        }
        for (int k = blueLooks.size(); k >= 0; k--) {
            Counts end = k == blueLooks.size() ? blue : blueLooks.get(k);
            Counts part = latest(end, blueLooks.subList(0, k));
            if (failsAbove(part, settings.maxErrorRate())) {
                Counts after = k == blueLooks.size() || !Walk.fits(end, blue) ? Counts.ZERO
                        : blue.withLatency(null).since(end);
                return new Failing(part.withLatency(null), after);
            }
        }
        return null;
    }

    /**
     * A part of blue failing by itself in this interval, and blue's answers after it in the same interval (none when
     * the part reaches the interval's end, or a look does not fit: a restarted counter).
     */
    private record Failing(Counts part, Counts after) {
    }

    /**
     * Blue's latest part with at least {@code minRequests} requests up to {@code end}: from the latest of the looks
     * before it that leaves that many; all of it when none does (or a look does not fit, a restarted counter). Counts
     * only ({@link Counts#since} without the latencies): what green is held to needs none.
     */
    private Counts latest(Counts end, List<Counts> before) {
        for (int i = before.size() - 1; i >= 0; i--) {
            Counts look = before.get(i);
            if (look.requests() > end.requests() || look.errors() > end.errors()) {
                return end;
            }
            if (end.requests() - look.requests() >= settings.minRequests()) {
                return end.withLatency(null).since(look);
            }
        }
        return end;
    }

    /**
     * What the judge knows of a blue failing by itself (counts only: what green is held to needs no latencies).
     *
     * @param failing the part of blue that green is held to as failing in this interval, or null
     * @param since   blue's answers since it ({@link JudgeMemory#blueSince}), or null when none
     * @param ended   whether {@code since} has {@code minRequests} and passes: blue's failing has ended, this interval
     *                is still held to it, and the next one is not
     */
    private record BlueSeen(Counts failing, Counts since, boolean ended) {
        static final BlueSeen NONE = new BlueSeen(null, null, false);

        /** What the next interval carries ({@link JudgeMemory#withBlue}): nothing once blue's failing ended. */
        JudgeMemory carried(JudgeMemory next) {
            return ended ? next.withBlue(null, null) : next.withBlue(failing, since);
        }
    }

    /**
     * The part of blue failing by itself: this interval's ({@code fresh}), else the one last seen while blue has
     * answered fewer than {@code minRequests} since, joined to what it answered (then judged as one part). In an
     * outage the chats' redeliveries back off, and an interval could hold one answer of blue beside a dozen of
     * green's: read as blue in normal service, green's 10 errors in 12 rolled the sound release back
     * (`SharedOutageIT`'s CI, 2026-12-07: "green 83.3% of 12, blue 0.0% of 49", blue's interval 0 of 1, the
     * interval before "blue 74.6% of 67"). Absence of blue's answers is no evidence that it recovered.
     * <p>Blue's answers since the failing part count from its end, in the same interval when it ended at a look. The
     * interval in which they reach {@code minRequests} and pass holds the outage's end: green is still held to blue as
     * last seen in it, and judged as it is from the next. The chats' redeliveries cluster by chat, so one colour's last
     * stretch in the outage can hold many more of its errors than the other's: `SharedOutageIT`'s CI (2026-12-07
     * 17:24, minRequests 10) walked green's 13 errors in 66 in that interval against blue in normal service ("green
     * 19.7% of 66, blue 1.7% of 290", the steep sum 18.1 against 12.5) and rolled the sound release back.
     */
    private BlueSeen blueSeen(Counts blue, Failing fresh, JudgeMemory memory) {
        if (blue == null) {
            return BlueSeen.NONE;
        }
        if (fresh != null) {
            return seenSince(fresh.part(), fresh.after());
        }
        if (memory.failingBlue() == null) {
            return BlueSeen.NONE;
        }
        return seenSince(memory.failingBlue(),
                (memory.blueSince() == null ? Counts.ZERO : memory.blueSince()).plus(blue.withLatency(null)));
    }

    /** Blue last seen failing as {@code failing}, and what it has answered {@code since}. */
    private BlueSeen seenSince(Counts failing, Counts since) {
        if (since.requests() < settings.minRequests()) {
            return new BlueSeen(failing, since.requests() == 0 ? null : since, false);
        }
        return failsAbove(since, settings.maxErrorRate()) ? new BlueSeen(since, null, false)
                : new BlueSeen(failing, since, true);
    }

    /** Whether {@code blue} fails by itself: {@code minRequests} at least, above {@code rate} with 95 % confidence. */
    private boolean failsAbove(Counts blue, double rate) {
        return blue.requests() >= settings.minRequests() && failingAbove(blue.errors(), blue.requests(), rate);
    }

    private Judgement judge(Counts blue, Counts green, JudgeMemory memory, List<Counts> looks, List<Counts> blueLooks,
                            boolean looked) {
        // a shared cause in this interval (a part of blue failing by itself): green is held to that part of blue,
        // and the interval stays out of blue's pools (errors, latencies), which are blue in normal service. Pooled, an outage that
        // began mid-step showed only as the pool filled (measured in SharedOutageIT: blue 17 % then 51 % pooled
        // while 83 % in the interval: green was held to a healthier blue than the cause left and rolled back), and
        // once it ended it kept blue "failing" for minutes, pausing the rollout again and again.
        double normalLimit = limit(memory.baselineRequests(), memory.baselineErrors(), false).limit();
        BlueSeen seen = blueSeen(blue, blue == null ? null : failingPart(blue, blueLooks, normalLimit), memory);
        Counts failing = seen.failing();
        boolean blueFailing = failing != null;
        // a blue above its own pool in this interval, though not failing by itself, shares a milder cause with green
        // (a blip of a second in an interval of 30 s read once): green is weighed against this interval's blue, and
        // the interval stays out of blue's pools too
        boolean abovePool = blueAbovePool(blue, memory, blueFailing);
        boolean normalService = blue != null && !blueFailing && !abovePool;
        long baseRequests = memory.baselineRequests() + (normalService ? blue.requests() : 0);
        long baseErrors = memory.baselineErrors() + (normalService ? blue.errors() : 0);
        long heldToRequests = blueFailing ? failing.requests() : baseRequests; // the blue that green is held to
        long heldToErrors = blueFailing ? failing.errors() : baseErrors;
        Limit l = limit(heldToRequests, heldToErrors, blueFailing);
        Counts bluePaired = null;
        if (abovePool) {
            Limit paired = limit(blue.requests(), blue.errors(), false);
            if (paired.limit() > l.limit()) { // a pool failing a little all along may set green a higher limit already
                bluePaired = blue;
                l = new Limit(paired.limit(), l.baseline(), l.blueFailingToo(), paired.test());
            }
        }
        boolean baseline = l.baseline();
        double limit = l.limit();
        boolean blueFailingToo = l.blueFailingToo();
        // while blue fails by itself the sums are held where they were: walked against the interval's blue, green's
        // latest stretches (all in the outage) were weighed against a blue whose rate still held the interval's
        // healthy start, a look ended the interval on them, and green rolled back "worse than an also-failing blue"
        // at the outage's onset (SharedOutageIT, 2026-12-07: green 91 % of 33 against blue 64 % of 73 in the window a
        // look cut short). A green clearly worse than such a blue is still failed by the interval test, on whole intervals.
        Walk sums = blueFailing ? Walk.held(memory.cusum()) : Walk.of(l.test(), memory.cusum(), looks, green);
        Walk steeps = blueFailing ? Walk.held(memory.steepCusum())
                : Walk.of(l.test().steep(), memory.steepCusum(), looks, green);
        double cusum = sums.end();
        double steep = steeps.end();
        // the looks' size: the interval's green requests over the stretches its looks cut it into
        double margin = looked ? lookedMargin((double) green.requests() / (looks.size() + 1)) : 0;
        double threshold = CUSUM_THRESHOLD + margin;
        double steepThreshold = STEEP_THRESHOLD + margin;
        Latencies blueLatency = normalService ? blue.latency() : null;
        Latencies baseLatency = memory.baselineLatency() == null ? blueLatency
                : memory.baselineLatency().plus(blueLatency);
        JudgeMemory next = memory.next(cusum, steep, baseRequests, baseErrors, baseLatency,
                blueFailing ? memory.thresholdMargin() : margin); // held sums keep the margin they were held to
        next = seen.carried(next);

        // a blue failing under maxErrorRate says which limit it failed, or "failing" at 4 % would read as a mistake
        boolean underMaxErrorRate = blueFailing && !failsAbove(failing, settings.maxErrorRate());
        String rates = "green " + pct(green.errorRate()) + " of " + green.requests()
                + (baseline ? ", blue " + pct((double) heldToErrors / heldToRequests) + " of " + heldToRequests : "")
                + (underMaxErrorRate ? " (above the " + pct(normalLimit) + " it sets green in normal service)" : "")
                + ", limit " + pct(limit) // the observed rates; the smoothing stays inside the limit
                + (blueFailing ? " (blue's 95% upper bound plus " + pct(settings.maxIncreaseOverBaseline()) + ")" : "")
                + (seen.since() == null ? "" : "; blue as last seen: its " + seen.since().requests() + " answers since "
                        + (seen.ended() ? "pass, so its failing has ended" : "cannot tell"))
                + (bluePaired == null ? "" : "; blue in this interval " + pct(bluePaired.errorRate()) + " of "
                        + bluePaired.requests() + ", above its pool: green weighed against it");
        boolean crossed = sums.peak() >= threshold;
        boolean steepCrossed = steeps.peak() >= steepThreshold;
        boolean decisive = crossed || steepCrossed;
        String sequential = !decisive ? "" : steepCrossed && !crossed
                ? "; sequential test " + String.format(Locale.ROOT, "%.1f >= %.1f", steeps.peak(), steepThreshold)
                        + ": green errs far above the limit over the last intervals (decisive)"
                : "; sequential test " + String.format(Locale.ROOT, "%.1f >= %.1f", sums.peak(), threshold)
                        + ": green errs above the limit over the last intervals (decisive)";
        if (green.requests() < settings.minRequests()) { // the sum keeps this interval's evidence for the next one
            return new Judgement(new Verdict.Inconclusive(
                    green.requests() + " green requests < minRequests " + settings.minRequests() + " (" + rates + ")"), next);
        }
        double lower = wilsonLower(green.errors(), green.requests(), Z);
        if (lower > limit) {
            double tail = binomialUpperTail(green.errors(), green.requests(), limit);
            int weight = 1;
            // against a blue failing too, one interval is one failure however clear: in an outage the chats' retries
            // make the colours' error rates far from two independent binomials (SharedOutageIT's CI, 2026-12-07:
            // green 81 % of 21 against blue 46 % of 56 in one window, weighed as two failures and rolled back)
            while (!blueFailingToo && weight <= WEIGHT_TAILS.length && tail < WEIGHT_TAILS[weight - 1]) {
                weight++;
            }
            return new Judgement(new Verdict.Fail(rates + "; at least " + pct(lower) + " with 95% confidence"
                    + (weight > 1 ? " (so clear that it counts as " + weight + " failures)" : "")
                    + (blueFailingToo ? " (worse than an also-failing blue)" : "") + sequential, weight, decisive), next);
        }
        LatencyRule.Check latency = LatencyRule.check(settings.latency(), green.latency(), baseLatency, WEIGHT_TAILS, Z);
        String measured = latency == null ? rates : rates + "; " + latency.text();
        if (decisive) {
            return new Judgement(new Verdict.Fail(measured + sequential, 1, true), next);
        }
        if (latency != null && latency.failure() != null) {
            return new Judgement(latency.failure(), next);
        }
        if (seen.ended()) {
            return new Judgement(new Verdict.Inconclusive("blue was failing and has recovered (" + measured
                    + "): green's errors in this interval may be the shared cause's; judged as it is from the next"),
                    next);
        }
        if (blueFailingToo) {
            return new Judgement(new Verdict.Inconclusive(
                    "blue is failing too (" + measured + "): likely a shared cause, not the release"), next);
        }
        return new Judgement(new Verdict.Pass(measured), next);
    }

    /**
     * Whether {@code blue}, not failing by itself, errs above its own pool (blue in normal service over the step) in
     * this interval with 95 % confidence: a cause it shares with green, too mild to fail it. Weighed against the pool
     * instead, green's share of the cause walked its sums up interval after interval: with Prometheus read once every
     * 30 s, a shared outage of 0.6 s in four intervals in a row rolled a sound release back in 3,721 of 4,000 simulated
     * rollouts at 100 messages/s, both colours at 1 %, green at 25 % (benchmark part 13; 7 now). A healthy blue is
     * above its pool so in about one interval in twenty, where green is weighed against a blue a little worse.
     */
    private boolean blueAbovePool(Counts blue, JudgeMemory memory, boolean blueFailing) {
        return !blueFailing && blue != null && blue.requests() >= settings.minRequests()
                && memory.baselineRequests() >= settings.minRequests()
                && failingAbove(blue.errors(), blue.requests(),
                estimate(memory.baselineErrors(), memory.baselineRequests()));
    }

    /**
     * One sum's way through an interval: from {@code start}, each stretch between looks (then the last one, to the
     * interval's end) adds its log-likelihood ratio and the sum is clamped at 0 (Page's CUSUM at the granularity the
     * counts were read at).
     *
     * @param end  the sum at the interval's end: what the next interval starts from
     * @param peak the highest the sum was at a look or at the end: a crossing at any look decides
     */
    private record Walk(double end, double peak) {
        static Walk of(SequentialTest test, double start, List<Counts> looks, Counts green) {
            double sum = start;
            double peak = 0;
            Counts before = Counts.ZERO;
            for (Counts look : looks) {
                if (fits(before, look) && fits(look, green)) {
                    sum = Math.max(0, sum + test.logLikelihoodRatio(look.requests() - before.requests(),
                            look.errors() - before.errors()));
                    peak = Math.max(peak, sum);
                    before = look;
                }
            }
            sum = Math.max(0, sum + test.logLikelihoodRatio(green.requests() - before.requests(),
                    green.errors() - before.errors()));
            return new Walk(sum, Math.max(peak, sum));
        }

        /** A sum that adds nothing in this interval: it stays at {@code start}, and nothing crosses. */
        static Walk held(double start) {
            return new Walk(start, 0);
        }

        /** Whether {@code later} can follow {@code earlier}: neither count went back. */
        private static boolean fits(Counts earlier, Counts later) {
            return later.requests() >= earlier.requests() && later.errors() >= earlier.errors()
                    && later.requests() - later.errors() >= earlier.requests() - earlier.errors();
        }
    }

    /**
     * Green's error limit given blue's requests and errors so far, and the sequential test against it: the one
     * place this rule lives (the router's guard is armed with {@link #sequentialTest}).
     *
     * @param baseline       whether blue had enough requests to be a baseline
     * @param blueFailingToo blue's own rate is, with 95 % confidence, above {@code maxErrorRate}, or blue is a part
     *                       that fails by itself ({@link #failingPart})
     */
    record Limit(double limit, boolean baseline, boolean blueFailingToo, SequentialTest test) {
    }

    Limit limit(long baseRequests, long baseErrors, boolean failing) {
        boolean baseline = baseRequests >= settings.minRequests();
        double blueRate = baseline ? estimate(baseErrors, baseRequests) : Double.NaN;
        double limit = baseline
                ? Math.min(settings.maxErrorRate(), blueRate + settings.maxIncreaseOverBaseline())
                : settings.maxErrorRate();
        // blue counts as failing only on evidence (its 95 % lower bound above the limit), not on the estimate of a
        // handful of requests: at 100 % green, blue's stragglers would otherwise look like a failing baseline
        boolean blueFailingToo = baseline
                && (failing || failingAbove(baseErrors, baseRequests, settings.maxErrorRate()));
        if (blueFailingToo) {
            limit = blueRate + settings.maxIncreaseOverBaseline();
        }
        SequentialTest test = SequentialTest.against(limit, blueRate);
        if (failing) {
            // a part of blue failing by itself is an interval's or a look's, a few dozen answers: green is clearly
            // worse only beyond that part's noise too, so it is held to blue's 95 % upper bound, not its estimate
            // (SharedOutageIT's CI, 2026-12-07: green 94 % of 17 against blue 69 % of 61, as noisy as it, was a
            // second failure and rolled the sound release back; the chats' retries make both samples noisier still)
            limit = Math.min(1, 1 - wilsonLower(baseRequests - baseErrors, baseRequests, Z)
                    + settings.maxIncreaseOverBaseline()); // never shown above 100 %: no green errs more
        }
        return new Limit(limit, baseline, blueFailingToo, test);
    }

    /** Blue's error rate, Jeffreys-style: never exactly 0, close to errors/requests once blue has real traffic. */
    private static double estimate(long errors, long requests) {
        return (errors + 0.5) / (requests + 1.0);
    }

    /** The rate above which blue, erring with 95 % confidence, is failing too: green's errors are then not its own. */
    public double maxErrorRate() {
        return settings.maxErrorRate();
    }

    /**
     * Whether {@code errors} of {@code requests} err above {@code rate} with 95 % confidence (the judge's "blue is
     * failing too"; the router's guard holds by the same rule).
     */
    public static boolean failingAbove(long errors, long requests, double rate) {
        return wilsonLower(errors, requests, Z) > rate;
    }

    /** The sequential test this judge runs on green, given blue's requests and errors so far (e.g. a step's). */
    public SequentialTest sequentialTest(long baseRequests, long baseErrors) {
        return limit(baseRequests, baseErrors, false).test();
    }

    /** P(X ≥ k) for X ~ Binomial(n, p), summed from k up while the terms still matter (k is above the mean here). */
    static double binomialUpperTail(long k, long n, double p) {
        if (k <= 0) {
            return 1;
        }
        if (k > n || p <= 0) {
            return 0;
        }
        if (p >= 1) {
            return 1;
        }
        double logTerm = 0; // ln C(n, k) + k ln p + (n - k) ln(1 - p), without overflow
        for (long i = 0; i < k; i++) {
            logTerm += Math.log((double) (n - i) / (i + 1));
        }
        logTerm += k * Math.log(p) + (n - k) * Math.log1p(-p);
        double term = Math.exp(logTerm);
        double sum = 0;
        for (long i = k; i <= n && term > sum * 1e-12; i++) {
            sum += term;
            term *= (double) (n - i) / (i + 1) * p / (1 - p);
        }
        return Math.min(1, sum);
    }

    static double wilsonLower(long errors, long n) {
        return wilsonLower(errors, n, Z);
    }

    static double wilsonLower(long errors, long n, double z) {
        if (n == 0) {
            return 0;
        }
        double p = (double) errors / n;
        double z2 = z * z;
        double centre = p + z2 / (2 * n);
        double spread = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return Math.max(0, (centre - spread) / (1 + z2 / n));
    }

    static String pct(double rate) {
        return String.format(Locale.ROOT, "%.1f%%", rate * 100);
    }
}
