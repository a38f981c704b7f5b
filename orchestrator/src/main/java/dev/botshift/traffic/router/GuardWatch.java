package dev.botshift.traffic.router;

import dev.botshift.analysis.Judge;
import dev.botshift.core.Slot;
import dev.botshift.traffic.GreenGuard;
import dev.botshift.traffic.GuardTrip;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The router's guard at work: the sequential test of {@link GreenGuard} on every answer of green that the judge would
 * weigh (a valid update, or a 5xx to anything), a 5xx counting as an error. Two sums run, as in the judge: against
 * the limit and against three times it ({@link dev.botshift.analysis.SequentialTest#steep()}); when either reaches
 * its threshold, the router cuts green itself ({@link LiveConfig#trip}). The sums belong to the armed rollout:
 * arming the guard again for the same rollout (the next step, new hypotheses) keeps them, as the judge keeps its own
 * across steps; another rollout's guard starts from 0. A router started again starts from 0 too (the judge's sum is in the orchestrator).
 *
 * <p>Blue's answers are weighed too, the latest {@link #BLUE_WINDOW} of them: while blue itself errs above
 * {@link GreenGuard#blueFailingAbove()} with 95 % confidence, green's errors are a shared cause's (a database, the
 * platform), cutting green would not help, and the judge does not roll back for them either ("blue is failing too"):
 * the guard weighs none of green's answers meanwhile and its sums stay at 0, so a green still failing once blue
 * recovers is cut on the answers after the outage, not on those during it. Blue's answers also run the test's two
 * sums of their own ({@link #blueSum}, {@link #blueSteepSum}), and a crossing of green while either of blue's stands at
 * {@link #BLUE_HOLD} or more is held (both of green's sums back at 0): blue fails the same test, so the crossing is a
 * shared cause's. This catches two cases the window cannot: an outage's onset, where green's first failing answers
 * may cross its steep sum while blue's latest 50 are still mostly from before it (a sum forgets healthy answers as
 * green's do); and a milder shared cause, blue and green both at 4 % where blue's pool is at 1 %, which 50 answers
 * cannot tell from 1 % but the sums, over hundreds, can. Blue's sums forget (capped, and clean answers take them
 * down), so a crossing of green's first sum is also held unless green erred above blue over the answers it rests on
 * ({@link #aboveBlue}).
 *
 * <p>Per answer of either colour while armed: one read of the config the request already holds, then a few arithmetic
 * operations under a lock held for nanoseconds (the steps are worked out once per armed guard; a blue answer adds a
 * Wilson bound and a step of its own sum); nothing is allocated unless the guard trips.
 * Answers are observed on the thread that read them, which reads every bot's answers (the proxy's client is
 * non-blocking): the cut is in force on that thread at once, in memory, but storing it (the router's config file,
 * written and renamed; only the embedded default's router guards) and telling of it (a log line, a metric) run on
 * {@code background}, never on that thread.
 */
final class GuardWatch {
    private final LiveConfig live;
    private final Clock clock;
    private final Executor background;
    private final Consumer<GuardTrip> onCut;
    private String rollout;
    /** The guard the steps below were worked out for. */
    private GreenGuard steps;
    private double errorStep;
    private double successStep;
    private double steepErrorStep;
    private double steepSuccessStep;
    private double sum;
    private double steepSum;
    private long requests;
    private long errors;
    /** Blue's latest judged answers, true for an error, in a ring; {@code blueSeen} of them filled. */
    private final boolean[] blueAnswers = new boolean[BLUE_WINDOW];
    private int blueNext;
    private int blueSeen;
    private int blueErrors;
    /** Whether blue's latest answers err above the guard's {@code blueFailingAbove} with 95 % confidence. */
    private boolean blueFailing;
    /** When blue last answered ({@link Clock#millis()}). */
    private long blueAnsweredAt;
    /** Green's answers not weighed because blue was failing too, for this rollout. */
    private long held;
    /** The test's two sums on blue's answers, walked as green's are (each at most {@link #BLUE_CAP}). */
    private double blueSum;
    private double blueSteepSum;
    /** Blue's judged answers and errors in this rollout, set against green's by {@link #aboveBlue}. */
    private long blueRequests;
    private long blueErrorsTotal;
    /**
     * Green's answers and errors, and blue's, when green's first sum last stood at 0: its crossing rests on the
     * answers since, and blue's over the same stretch are set against them.
     */
    private long stretchFromRequests;
    private long stretchFromErrors;
    private long stretchFromBlueRequests;
    private long stretchFromBlueErrors;

    /**
     * How many of blue's latest answers tell whether blue is failing too. Few, so that an outage shows in blue's
     * window before green's sums cross on it, also where green has as much traffic as blue (a step of 50 %: green is
     * cut after 8 to 10 answers failing at 80 %, while blue's as many are a fifth of the window, where they would be
     * a twentieth of 200); and enough that a healthy blue seldom looks failing (6 errors in 50, the fewest that do at
     * a 5 % limit, come about once in 90,000 windows of a blue at 1 %, and such a window only holds green's sums at 0
     * while it lasts).
     */
    static final int BLUE_WINDOW = 50;
    /** Fewer of blue's answers than this tell nothing of blue (as fewer than {@code minRequests} tell the judge). */
    static final int BLUE_MINIMUM = 20;
    /**
     * Blue's latest answers speak of blue now only while it answers: at green's 100 % it gets none, and an outage its
     * last answers saw says nothing of the present.
     */
    static final long BLUE_SILENT_MILLIS = 5_000;
    /**
     * Where blue's own sums say blue fails the test green crossed: two errors close together for the steep sum
     * (against a blue at 1 % each adds ln 9 ≈ 2.2), four for the first (ln 3 each). A healthy blue's sum stands that
     * high at most about 2 % of the time (a sum of this kind exceeds {@code x} with chance at most e^-x), so a
     * green's own crossing is held that seldom, and made again on its next answers (a green at 50 % beside a blue at
     * 1 %: held in 4 of 400 seeded runs, cut after at most 41 answers instead of 35); at an outage's onset, blue's
     * errors get there in two or three of its answers.
     */
    static final double BLUE_HOLD = 4;
    /**
     * How high blue's sums go, which bounds how long a shared cause's evidence outlives it: once blue is healthy again
     * (1 %) its steep sum falls back below {@link #BLUE_HOLD} within about 65 of its answers, its first sum within
     * about 430 (it falls by 0.009 an answer), and a green still failing after the outage is cut that much later.
     * Twice the hold: at 1.5 times it the first sum fell back in half the answers, but a shared cause with both
     * colours at 3 % over a pool at 1 % was cut in 10 of 20 seeded runs rather than 3 ({@code GuardWatchTest}).
     */
    static final double BLUE_CAP = 2 * BLUE_HOLD;
    /**
     * How sure a crossing of green's first sum must be that green errs above blue over the answers it rests on, as a
     * one-sided z ({@link #errsAbove}): 2.33, 99 %. A shared cause mild enough that blue's own sums dip under
     * {@link #BLUE_HOLD} now and then (both colours at 3 to 6 % over a pool at 1 %) was cut on those dips in 82 of 900
     * seeded runs, 43 with this; a green at 5 % (the limit 3 %) beside a blue at 1 % at a step of 50 % is held in 49
     * of 1,000 runs instead of 21 and cut after 387 of its answers on average instead of 376; green at 10 % or 50 %,
     * or at a step of 10 %, as before. At 3.09 (99.9 %) 25 of 900 were cut, but that green at 5 % took 532 answers.
     * The steep sum's crossings are not held by it: they come on a burst of a few answers, where a comparison has no
     * power (held on both sums, a green at 10 % at a step of 50 % took 258 answers at the 95th percentile, not 226).
     */
    static final double ABOVE_BLUE_Z = 2.326;

    /**
     * @param background tells {@code onCut} of a cut and then stores it; {@code Runnable::run} does both on the
     *                   observing thread
     * @param onCut      told of every cut made (it is in force by then)
     */
    GuardWatch(LiveConfig live, Clock clock, Executor background, Consumer<GuardTrip> onCut) {
        this.live = live;
        this.clock = clock;
        this.background = background;
        this.onCut = onCut;
    }

    /**
     * One answer of {@code slot} under {@code config} (the config the request was routed by). When it takes a sum
     * over its threshold, green is cut at once; telling {@code onCut} and storing the cut go to the background.
     *
     * @param judged whether the judge would weigh it (valid update, or a 5xx)
     */
    void observe(RouterConfig config, Slot slot, int status, boolean judged) {
        GreenGuard guard = config.armedGuard();
        if (guard == null || !judged) {
            return;
        }
        boolean error = status >= 500;
        GuardTrip trip;
        synchronized (this) {
            if (!guard.rollout().equals(rollout)) {
                rollout = guard.rollout();
                sum = 0;
                steepSum = 0;
                requests = 0;
                errors = 0;
                blueNext = 0;
                blueSeen = 0;
                blueErrors = 0;
                blueFailing = false;
                held = 0;
                blueSum = 0;
                blueSteepSum = 0;
                blueRequests = 0;
                blueErrorsTotal = 0;
                stretchFromHere();
            }
            if (guard != steps) {
                steps = guard;
                errorStep = guard.test().errorStep();
                successStep = guard.test().successStep();
                steepErrorStep = guard.test().steep().errorStep();
                steepSuccessStep = guard.test().steep().successStep();
            }
            if (guard.slot() != slot) {
                blueAnswered(error, guard.blueFailingAbove());
                return;
            }
            requests++;
            if (error) {
                errors++;
            }
            boolean blueNow = clock.millis() - blueAnsweredAt < BLUE_SILENT_MILLIS;
            if (blueFailing && blueNow) {
                hold(); // a shared cause's errors are no evidence against green
                return;
            }
            sum = Math.max(0, sum + (error ? errorStep : successStep));
            steepSum = Math.max(0, steepSum + (error ? steepErrorStep : steepSuccessStep));
            if (sum == 0) {
                stretchFromHere();
            }
            boolean crossed = sum >= guard.threshold();
            boolean steepCrossed = steepSum >= guard.steepThreshold();
            if ((crossed || steepCrossed) && blueNow && Math.max(blueSum, blueSteepSum) >= BLUE_HOLD) {
                hold(); // blue fails the same test: the crossing is a shared cause's, not green's own
                return;
            }
            if (crossed && blueNow && !aboveBlue()) {
                hold(); // green errs no more than blue did meanwhile: a milder shared cause's errors
                return;
            }
            if (crossed) {
                trip = new GuardTrip(clock.instant(), requests, errors, sum, guard.test().p0(), guard.test().p1(),
                        guard.threshold());
            } else if (steepCrossed) {
                trip = new GuardTrip(clock.instant(), requests, errors, steepSum, guard.test().p0(),
                        guard.test().steep().p1(), guard.steepThreshold());
            } else {
                return;
            }
            sum = 0; // a second crossing before the cut is in force is the same trip (live.trip refuses it)
            steepSum = 0;
        }
        RouterConfig cut = live.trip(guard.rollout(), trip);
        if (cut == null) {
            return;
        }
        Runnable tellAndStore = () -> {
            onCut.accept(trip);
            live.persist(cut);
        };
        try {
            background.execute(tellAndStore);
        } catch (RejectedExecutionException stopping) {
            tellAndStore.run(); // the router is stopping: the cut must still be on record for its restart
        }
    }

    /** Green's answer is not weighed against it (a shared cause's): counted as held, both sums back at 0. */
    private void hold() {
        held++;
        sum = 0;
        steepSum = 0;
        stretchFromHere();
    }

    /** Green's first sum stands at 0: the stretch a crossing of it rests on begins after this answer. */
    private void stretchFromHere() {
        stretchFromRequests = requests;
        stretchFromErrors = errors;
        stretchFromBlueRequests = blueRequests;
        stretchFromBlueErrors = blueErrorsTotal;
    }

    /**
     * Whether green errs above blue, {@link #ABOVE_BLUE_Z} sure, over the answers green's first sum rests on (those
     * since it last stood at 0) and blue's over the same stretch. Blue with fewer than {@link #BLUE_MINIMUM} answers
     * in it tells nothing (green at 90 % or more of the traffic): the crossing stands.
     */
    private boolean aboveBlue() {
        long blueN = blueRequests - stretchFromBlueRequests;
        if (blueN < BLUE_MINIMUM) {
            return true;
        }
        return errsAbove(errors - stretchFromErrors, requests - stretchFromRequests,
                blueErrorsTotal - stretchFromBlueErrors, blueN, ABOVE_BLUE_Z);
    }

    /**
     * Whether {@code errors} of {@code requests} err above {@code otherErrors} of {@code otherRequests} with a
     * one-sided z of at least {@code z}, each rate taken with one error and one success added (Agresti-Caffo).
     */
    static boolean errsAbove(long errors, long requests, long otherErrors, long otherRequests, double z) {
        double p = (errors + 1.0) / (requests + 2.0);
        double q = (otherErrors + 1.0) / (otherRequests + 2.0);
        double spread = Math.sqrt(p * (1 - p) / (requests + 2.0) + q * (1 - q) / (otherRequests + 2.0));
        return p - q >= z * spread;
    }

    /** One of blue's judged answers into the ring of its latest: whether blue is failing now, and when it answered. */
    private void blueAnswered(boolean error, double failingAbove) {
        blueAnsweredAt = clock.millis();
        blueRequests++;
        if (error) {
            blueErrorsTotal++;
        }
        blueSum = Math.min(BLUE_CAP, Math.max(0, blueSum + (error ? errorStep : successStep)));
        blueSteepSum = Math.min(BLUE_CAP, Math.max(0, blueSteepSum + (error ? steepErrorStep : steepSuccessStep)));
        if (blueSeen == BLUE_WINDOW && blueAnswers[blueNext]) {
            blueErrors--;
        }
        blueAnswers[blueNext] = error;
        if (error) {
            blueErrors++;
        }
        blueNext = (blueNext + 1) % BLUE_WINDOW;
        blueSeen = Math.min(blueSeen + 1, BLUE_WINDOW);
        blueFailing = blueSeen >= BLUE_MINIMUM && Judge.failingAbove(blueErrors, blueSeen, failingAbove);
    }

    /**
     * The test's state now, for the stats and the metrics: the rollout it is for (null: never armed), the sum against
     * the limit ({@code statistic}) and the sum against three times it ({@code steepStatistic}); either cuts green at
     * its own threshold. Blue's two sums beside them: while either is at {@link #BLUE_HOLD} or more, a crossing of
     * green's is held.
     */
    synchronized Reading reading() {
        return new Reading(rollout, sum, steepSum, requests, errors, held, blueSum, blueSteepSum);
    }

    /**
     * @param held               green's answers not weighed because blue was failing too (a shared cause)
     * @param blueStatistic      blue's own sum of the test against the limit
     * @param blueSteepStatistic blue's own sum against three times it
     */
    record Reading(String rollout, double statistic, double steepStatistic, long requests, long errors, long held,
                   double blueStatistic, double blueSteepStatistic) {
    }
}
