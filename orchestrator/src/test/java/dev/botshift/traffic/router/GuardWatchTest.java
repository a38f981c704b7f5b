package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.analysis.Judge;
import dev.botshift.analysis.JudgeSettings;
import dev.botshift.analysis.SequentialTest;
import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.traffic.GreenGuard;
import dev.botshift.traffic.GuardTrip;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The router's guard statistic on seeded answers, with the hypotheses the judge arms it with for a blue at 1 %
 * (10,000 blue requests, 100 errors, limits 5 % / +2 %: p0 ≈ 1 %, p1 ≈ 3 %). Cut green on a spike, leave a healthy
 * green alone.
 */
class GuardWatchTest {
    static final SequentialTest AT_ONE_PERCENT = new Judge(new JudgeSettings(0.05, 0.02, 20)).sequentialTest(10_000, 100);
    static final Instant NOW = Instant.parse("2026-12-03T02:00:00Z");

    /** An in-memory config source: what the router would persist, kept. */
    static final class Memory implements RouterConfigSource {
        RouterConfig config;
        final List<RouterConfig> stored = new ArrayList<>();

        Memory(RouterConfig config) {
            this.config = config;
        }

        public RouterConfig current() {
            return config;
        }

        public void store(RouterConfig c) {
            config = c;
            stored.add(c);
        }

        public void onChange(Consumer<RouterConfig> listener) {
        }

        public void close() {
        }
    }

    /** A watch that cuts on the observing thread (as if its cutter were that thread) and keeps the cuts it made. */
    static final class Cuts {
        final List<GuardTrip> made = new ArrayList<>();

        GuardWatch watch(LiveConfig live) {
            return new GuardWatch(live, Clock.fixed(NOW, ZoneOffset.UTC), Runnable::run, made::add);
        }
    }

    static RouterConfig guarded(String rollout, SequentialTest test) {
        return new RouterConfig(new Weights(75, 25), Map.of(), null, new GreenGuard(Slot.B, rollout, test, 0.05), null);
    }

    /** Answers of green erring at {@code rate} (seeded) until the guard trips; the answers it took, or -1. */
    static long answersToTrip(double rate, long seed, int max) {
        LiveConfig live = new LiveConfig(new Memory(guarded("run-1", AT_ONE_PERCENT)), BackendPolicy.LOOPBACK);
        Cuts cuts = new Cuts();
        GuardWatch watch = cuts.watch(live);
        Random random = new Random(seed);
        for (int i = 1; i <= max; i++) {
            watch.observe(live.config(), Slot.B, random.nextDouble() < rate ? 500 : 200, true);
            if (!cuts.made.isEmpty()) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void theHypothesesAreTheJudgesForABlueAtOnePercent() {
        assertThat(AT_ONE_PERCENT.p0()).isCloseTo(0.01, org.assertj.core.data.Offset.offset(0.0002));
        assertThat(AT_ONE_PERCENT.p1()).isCloseTo(0.03, org.assertj.core.data.Offset.offset(0.0002));
    }

    @Test
    void aHealthyGreenAtBluesOnePercentIsNeverCutIn50SeededRunsOf50000Answers() {
        for (long seed = 0; seed < 50; seed++) {
            assertThat(answersToTrip(0.01, seed, 50_000)).as("seed %d", seed).isEqualTo(-1);
        }
    }

    @Test
    void aGreenAtTenPercentIsCutWithinTheAnswersTheTestExpects() {
        // Wald: threshold / drift per answer, for each sum; the steep one (against 9 %) is the quicker here:
        // 17.2 / (0.1 ln 9 + 0.9 ln(0.91/0.99)) ≈ 120 answers, where the first (against 3 %) needs 13.8 / 0.092 ≈ 151
        double expected = Math.min(waldAnswers(AT_ONE_PERCENT, GreenGuard.THRESHOLD, 0.10),
                waldAnswers(AT_ONE_PERCENT.steep(), GreenGuard.THRESHOLD + GreenGuard.STEEP_MARGIN, 0.10));
        assertThat(expected).isBetween(110.0, 130.0);
        List<Long> taken = answersOver50Seeds(0.10);
        System.out.printf("measured: answers to cut a green at 10 %% over a blue at 1 %%: median %d, max %d of 50 seeds"
                + " (expected about %.0f)%n", taken.get(25), taken.get(49), expected);
        assertThat(taken).allMatch(n -> n > 0).allMatch(n -> n <= 3 * expected);
        assertThat((double) taken.get(25)).isBetween(0.6 * expected, 1.4 * expected);
    }

    @Test
    void theSteepSumCutsAGreenFarAboveTheLimitSoonerThanTheFirstSumAlone() {
        double firstAlone = waldAnswers(AT_ONE_PERCENT, GreenGuard.THRESHOLD, 0.50); // ≈ 26
        List<Long> taken = answersOver50Seeds(0.50);
        System.out.printf("measured: answers to cut a green at 50 %%: median %d, max %d of 50 seeds (the first sum alone:"
                + " about %.0f)%n", taken.get(25), taken.get(49), firstAlone);
        assertThat((double) taken.get(25)).isLessThan(0.8 * firstAlone);
    }

    // A shared cause (the database down): both colours answer 5xx. The judge calls that "blue is failing too" and does
    // not roll back; the guard holds likewise (at a step of 25 %, blue answering three times as often as green, and at
    // 50 %, as often), and once blue recovers, a green still failing is cut on the answers after the outage, while a
    // green that recovered with blue is left alone.
    @Test
    void aSharedOutageIsHeldAndAGreenStillFailingAfterItIsCut() {
        for (int bluePerGreen : new int[] {3, 1}) {
            for (boolean greenRecovers : new boolean[] {true, false}) {
                String as = bluePerGreen + " blue answers a green one, green recovers: " + greenRecovers;
                LiveConfig live = new LiveConfig(new Memory(guarded("run-1", AT_ONE_PERCENT)), BackendPolicy.LOOPBACK);
                Cuts cuts = new Cuts();
                GuardWatch watch = cuts.watch(live);
                Random random = new Random(7);
                answer(watch, live, random, 300, bluePerGreen, 0.01, 0.01); // healthy
                answer(watch, live, random, 500, bluePerGreen, 0.8, 0.8); // the outage: 80 % of both fail
                assertThat(cuts.made).as("%s: green's errors during the shared outage are not green's", as).isEmpty();
                assertThat(watch.reading().held()).as(as).isPositive();
                int after = 0; // blue recovered; green did or did not
                for (; after < 2_000 && cuts.made.isEmpty(); after++) {
                    answer(watch, live, random, 1, bluePerGreen, 0.01, greenRecovers ? 0.01 : 0.5);
                }
                if (greenRecovers) {
                    assertThat(cuts.made).as("%s: the outage's evidence is not held against green", as).isEmpty();
                } else {
                    assertThat(cuts.made).as(as).hasSize(1);
                    assertThat(cuts.made.get(0).requests()).as(as).isGreaterThan(800); // the outage's are counted...
                    // ...but it is cut on what came after: once blue's sums fell back under the hold (the first sum
                    // falls by 0.009 an answer of a blue at 1 %), about twenty of green's
                    double blueAnswers = (GuardWatch.BLUE_CAP - GuardWatch.BLUE_HOLD)
                            / -(0.01 * AT_ONE_PERCENT.errorStep() + 0.99 * AT_ONE_PERCENT.successStep());
                    System.out.printf("measured: %s: cut after %d of green's answers once the outage ended%n", as,
                            after);
                    assertThat(after).as(as).isBetween(20, (int) (2 * blueAnswers / bluePerGreen) + 150);
                }
            }
        }
    }

    // The outage's onset as a router sees it: each answer is green's or blue's by chance (green has half the traffic
    // at a step of 50 %, a quarter at 25 %), so green's first failing answers may come before blue's. Blue's latest
    // 50 answers alone still held a healthy blue's when green's steep sum crossed on eight or so of the outage's
    // errors: SharedOutageIT's guard cut green 150 ms into the outage (2026-12-07, 8 errors in 47 green answers).
    @Test
    void aSharedOutageIsHeldWhicheverColourAnswersFirst() {
        int cut = 0;
        for (double greenShare : new double[] {0.5, 0.25}) {
            for (long seed = 0; seed < 200; seed++) {
                LiveConfig live = new LiveConfig(new Memory(guarded("run-1", AT_ONE_PERCENT)), BackendPolicy.LOOPBACK);
                Cuts cuts = new Cuts();
                GuardWatch watch = cuts.watch(live);
                Random random = new Random(seed);
                for (int i = 0; i < 2_000; i++) {
                    boolean outage = i >= 1_000;
                    boolean green = random.nextDouble() < greenShare;
                    watch.observe(live.config(), green ? Slot.B : Slot.A,
                            random.nextDouble() < (outage ? 0.8 : 0.01) ? 503 : 200, true);
                }
                cut += cuts.made.size();
            }
        }
        // 59 of the 400 were cut by blue's latest 50 alone; the one left: blue answered once, erring, while green
        // erred eight times
        assertThat(cut).as("cuts in 400 shared outages").isLessThanOrEqualTo(1);
    }

    // A milder shared cause: both colours erring at 3 to 6 % where blue's pool is at 1 % (the database slow, some
    // updates timing out). Blue's latest 50 answers cannot tell 4 % from 1 %, and green's sums crossed on the shared
    // errors after a few hundred answers: all 60 of these runs were cut by the window alone (2026-12-07).
    @Test
    void aMilderSharedCauseIsSeldomCut() {
        int cut = 0;
        for (double rate : new double[] {0.03, 0.043, 0.06}) {
            for (long seed = 0; seed < 100; seed++) {
                LiveConfig live = new LiveConfig(new Memory(guarded("run-1", AT_ONE_PERCENT)), BackendPolicy.LOOPBACK);
                Cuts cuts = new Cuts();
                GuardWatch watch = cuts.watch(live);
                Random random = new Random(seed);
                for (int i = 0; i < 12_000 && cuts.made.isEmpty(); i++) { // 5,000 of green's answers in the cause
                    boolean shared = i >= 2_000;
                    watch.observe(live.config(), random.nextBoolean() ? Slot.B : Slot.A,
                            random.nextDouble() < (shared ? rate : 0.01) ? 503 : 200, true);
                }
                cut += cuts.made.size();
            }
        }
        System.out.printf("measured: a milder shared cause (both colours at 3, 4.3 or 6 %%) cut in %d of 300 runs%n",
                cut);
        assertThat(cut).isLessThanOrEqualTo(20);
    }

    @Test
    void greenErrsAboveBlueOnlyWhenTheTwoRatesAreApartBeyondTheirSpread() {
        assertThat(GuardWatch.errsAbove(15, 150, 13, 1_350, GuardWatch.ABOVE_BLUE_Z)).as("10 % against 1 %: z 3.8").isTrue();
        assertThat(GuardWatch.errsAbove(23, 570, 23, 570, GuardWatch.ABOVE_BLUE_Z)).as("the same rate").isFalse();
        assertThat(GuardWatch.errsAbove(23, 570, 11, 570, GuardWatch.ABOVE_BLUE_Z)).as("4 % against 2 %: z 2.1")
                .isFalse();
        assertThat(GuardWatch.errsAbove(23, 570, 6, 570, GuardWatch.ABOVE_BLUE_Z)).as("4 % against 1 %: z 3.1")
                .isTrue();
        assertThat(GuardWatch.errsAbove(0, 0, 0, 0, GuardWatch.ABOVE_BLUE_Z)).isFalse();
    }

    // Blue's own sums forget: blue erred at 10 % from its 50th answer to its 300th (its sums at their cap, its latest 50
    // never failing: at most 5 errors in any 50), then not at all, and its sums were back under the hold when green's
    // first sum crossed on green's steady 4 % after about 570 answers. Over that stretch blue erred at 4.4 %, more than
    // green: the crossing is held. Blue healthy from then on, the same green errs above it and is cut on the answers since.
    @Test
    void aCrossingIsHeldWhileBlueErredAsMuchOverTheSameStretch() {
        LiveConfig live = new LiveConfig(new Memory(guarded("run-1", AT_ONE_PERCENT)), BackendPolicy.LOOPBACK);
        Cuts cuts = new Cuts();
        GuardWatch watch = cuts.watch(live);
        int round = 0;
        for (; round < 2_000 && watch.reading().held() == 0 && cuts.made.isEmpty(); round++) {
            watch.observe(live.config(), Slot.A, round >= 50 && round < 300 && round % 10 == 0 ? 503 : 200, true);
            watch.observe(live.config(), Slot.B, round % 25 == 24 ? 503 : 200, true);
        }
        assertThat(cuts.made).as("cut at round %d", round).isEmpty();
        assertThat(round).as("held where green's first sum crossed").isBetween(500, 650);
        assertThat(watch.reading().blueStatistic()).as("blue's sum under the hold").isLessThan(GuardWatch.BLUE_HOLD);
        int heldAt = round;
        for (; round < 3_000 && cuts.made.isEmpty(); round++) {
            watch.observe(live.config(), Slot.A, 200, true);
            watch.observe(live.config(), Slot.B, round % 25 == 24 ? 503 : 200, true);
        }
        assertThat(cuts.made).as("green at 4 %% beside a blue at 0 %%").hasSize(1);
        assertThat(round - heldAt).as("cut on the answers after the hold").isBetween(500, 650);
    }

    // What blue's own sum costs a green with a defect of its own, blue healthy at 1 %: a crossing held while two of
    // blue's errors came close together, made again on green's next answers.
    @Test
    void aHealthyBlueSeldomHoldsAGreenFailingByItself() {
        int heldRuns = 0;
        List<Long> taken = new ArrayList<>();
        for (long seed = 0; seed < 400; seed++) {
            LiveConfig live = new LiveConfig(new Memory(guarded("run-1", AT_ONE_PERCENT)), BackendPolicy.LOOPBACK);
            Cuts cuts = new Cuts();
            GuardWatch watch = cuts.watch(live);
            Random random = new Random(seed);
            long greenAnswers = 0;
            for (int i = 0; i < 20_000 && cuts.made.isEmpty(); i++) {
                boolean green = random.nextBoolean();
                boolean defect = i >= 1_000;
                watch.observe(live.config(), green ? Slot.B : Slot.A,
                        random.nextDouble() < (green && defect ? 0.5 : 0.01) ? 503 : 200, true);
                if (green && defect) {
                    greenAnswers++;
                }
            }
            assertThat(cuts.made).as("seed %d", seed).hasSize(1);
            taken.add(greenAnswers);
            heldRuns += watch.reading().held() > 0 ? 1 : 0;
        }
        taken.sort(null);
        System.out.printf("measured: a green at 50 %% beside a blue at 1 %%: cut after a median %d of its failing answers,"
                + " max %d; a crossing held in %d of 400 runs%n", taken.get(200), taken.get(399), heldRuns);
        assertThat(heldRuns).isLessThanOrEqualTo(20);
        assertThat(taken.get(399)).isLessThanOrEqualTo(60);
    }

    /** {@code greenAnswers} rounds of {@code bluePerGreen} blue answers and one green, erring at the rates given. */
    private static void answer(GuardWatch watch, LiveConfig live, Random random, int greenAnswers, int bluePerGreen,
                               double blueRate, double greenRate) {
        for (int i = 0; i < greenAnswers; i++) {
            for (int b = 0; b < bluePerGreen; b++) {
                watch.observe(live.config(), Slot.A, random.nextDouble() < blueRate ? 503 : 200, true);
            }
            watch.observe(live.config(), Slot.B, random.nextDouble() < greenRate ? 503 : 200, true);
        }
    }

    // Blue's failing answers speak for blue only while it answers: at green's 100 % blue gets none, and a green failing
    // there is cut though blue's last answers were an outage's.
    @Test
    void blueSilentForFiveSecondsHoldsNothing() {
        LiveConfig live = new LiveConfig(new Memory(guarded("run-1", AT_ONE_PERCENT)), BackendPolicy.LOOPBACK);
        List<GuardTrip> made = new ArrayList<>();
        Instant[] now = {NOW};
        Clock clock = new Clock() {
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            public Instant instant() {
                return now[0];
            }
        };
        GuardWatch watch = new GuardWatch(live, clock, Runnable::run, made::add);
        for (int i = 0; i < 100; i++) { // both failing, blue answering three times as often as green
            for (int b = 0; b < 3; b++) {
                watch.observe(live.config(), Slot.A, 503, true);
            }
            watch.observe(live.config(), Slot.B, 503, true);
        }
        assertThat(made).isEmpty();
        now[0] = NOW.plusMillis(GuardWatch.BLUE_SILENT_MILLIS);
        for (int i = 0; i < 100 && made.isEmpty(); i++) {
            watch.observe(live.config(), Slot.B, 503, true);
        }
        assertThat(made).hasSize(1);
    }

    /** Wald's approximation of the answers a sum needs to reach {@code threshold} when green errs at {@code rate}. */
    static double waldAnswers(SequentialTest test, double threshold, double rate) {
        return threshold / (rate * test.errorStep() + (1 - rate) * test.successStep());
    }

    static List<Long> answersOver50Seeds(double rate) {
        List<Long> taken = new ArrayList<>();
        for (long seed = 0; seed < 50; seed++) {
            taken.add(answersToTrip(rate, seed, 10_000));
        }
        taken.sort(null);
        return taken;
    }

    @Test
    void theCutIsInForceAtOnceAndPersistedWithWhy() {
        Memory source = new Memory(guarded("run-1", AT_ONE_PERCENT));
        LiveConfig live = new LiveConfig(source, BackendPolicy.LOOPBACK);
        Cuts cuts = new Cuts();
        GuardWatch watch = cuts.watch(live);
        for (int i = 0; cuts.made.isEmpty() && i < 100; i++) {
            watch.observe(live.config(), Slot.B, 500, true);
        }
        assertThat(cuts.made).hasSize(1);
        GuardTrip trip = cuts.made.get(0);
        // the steep sum first: ln 9 ≈ 2.2 per error passes ln(3 × 10⁷) ≈ 17.2 at the 8th (the first sum, ln 3 per
        // error, would need 13 to pass 13.8)
        assertThat(trip.errors()).isEqualTo(trip.requests()).isEqualTo(8);
        assertThat(trip.p1()).isCloseTo(3 * AT_ONE_PERCENT.p1(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(live.config().weights()).isEqualTo(Weights.allTo(Slot.A));
        assertThat(live.config().trip()).isEqualTo(trip);
        assertThat(source.stored).last().isEqualTo(live.config());
        assertThat(trip.describe()).contains("the router's guard cut green to 0%", "8 errors in 8 green answers",
                ">= 17.2", "against 9.0%");
    }

    @Test
    void theCutIsInForceOnTheObservingThreadAndStoredInTheBackgroundOnce() {
        Memory source = new Memory(guarded("run-1", AT_ONE_PERCENT));
        LiveConfig live = new LiveConfig(source, BackendPolicy.LOOPBACK);
        List<Runnable> background = new ArrayList<>();
        List<GuardTrip> made = new ArrayList<>();
        GuardWatch watch = new GuardWatch(live, Clock.fixed(NOW, ZoneOffset.UTC), background::add, made::add);
        RouterConfig routedBy = live.config();
        for (int i = 0; i < 16; i++) { // two crossings (8 errors each) by answers to requests routed before the cut
            watch.observe(routedBy, Slot.B, 500, true);
        }
        assertThat(live.config().weights()).as("cut at once").isEqualTo(Weights.allTo(Slot.A));
        assertThat(source.stored).as("but not stored on the observing thread").isEmpty();
        assertThat(made).isEmpty();
        assertThat(background).as("the second crossing is the same cut").hasSize(1);

        background.forEach(Runnable::run);
        assertThat(source.stored).containsExactly(live.config());
        assertThat(made).hasSize(1);
    }

    @Test
    void aCutWhileTheRouterStopsIsStillStored() {
        Memory source = new Memory(guarded("run-1", AT_ONE_PERCENT));
        LiveConfig live = new LiveConfig(source, BackendPolicy.LOOPBACK);
        List<GuardTrip> made = new ArrayList<>();
        GuardWatch watch = new GuardWatch(live, Clock.fixed(NOW, ZoneOffset.UTC), task -> {
            throw new java.util.concurrent.RejectedExecutionException("stopping"); // a stopping pool refuses work
        }, made::add);
        for (int i = 0; i < 8; i++) {
            watch.observe(live.config(), Slot.B, 500, true);
        }
        assertThat(made).hasSize(1);
        assertThat(source.stored).containsExactly(live.config());
    }

    @Test
    void aCutOvertakenByALaterChangeIsNotStoredOverIt() {
        Memory source = new Memory(guarded("run-1", AT_ONE_PERCENT));
        LiveConfig live = new LiveConfig(source, BackendPolicy.LOOPBACK);
        RouterConfig before = live.config();
        RouterConfig cut = live.trip("run-1", new GuardTrip(NOW, 40, 10, 14, 0.01, 0.03, GreenGuard.THRESHOLD));
        // the rollback, with blue on a new backend: stored with the trip kept on record, and not equal to the cut
        live.replace(before.withWeights(Weights.allTo(Slot.A)).withGuard(null, null)
                .withBackends(Slot.A, List.of(java.net.URI.create("http://127.0.0.1:8089"))), "rollback");
        RouterConfig rolledBack = live.config();
        assertThat(rolledBack).isNotEqualTo(cut);
        assertThat(rolledBack.trip()).isEqualTo(cut.trip());

        live.persist(cut); // the background store of the cut, late
        assertThat(source.stored).containsExactly(rolledBack);
        assertThat(live.config()).isEqualTo(rolledBack);
    }

    @Test
    void onlyGreensJudgedAnswersCountAndTheSumOutlivesANewStepButNotANewRollout() {
        Memory source = new Memory(guarded("run-1", AT_ONE_PERCENT));
        LiveConfig live = new LiveConfig(source, BackendPolicy.LOOPBACK);
        GuardWatch watch = new Cuts().watch(live);
        for (int i = 0; i < 5; i++) {
            watch.observe(live.config(), Slot.B, 500, true);
            watch.observe(live.config(), Slot.A, 500, true); // blue's
            watch.observe(live.config(), Slot.B, 400, false); // junk answered 4xx: not the judge's either
        }
        assertThat(watch.reading().requests()).isEqualTo(5);
        double afterFive = watch.reading().statistic();
        assertThat(afterFive).isCloseTo(5 * AT_ONE_PERCENT.errorStep(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(watch.reading().steepStatistic()).as("the steep sum, shown beside the first")
                .isCloseTo(5 * AT_ONE_PERCENT.steep().errorStep(), org.assertj.core.data.Offset.offset(1e-9));

        live.replace(guarded("run-1", new SequentialTest(0.0125, 0.05)), "next step");
        watch.observe(live.config(), Slot.B, 200, true);
        assertThat(watch.reading().statistic()).as("same rollout: the evidence stays")
                .isCloseTo(afterFive + Math.log(0.95 / 0.9875), org.assertj.core.data.Offset.offset(1e-9));

        live.replace(guarded("run-2", AT_ONE_PERCENT), "another rollout");
        watch.observe(live.config(), Slot.B, 200, true);
        assertThat(watch.reading().statistic()).as("another rollout starts from 0").isZero();
        assertThat(watch.reading().steepStatistic()).as("both sums").isZero();
        assertThat(watch.reading().requests()).isEqualTo(1);
    }

    @Test
    void aTrippedGuardHoldsGreenAtZeroAgainstTheSameRolloutButNotAgainstTheNext() {
        Memory source = new Memory(guarded("run-1", AT_ONE_PERCENT));
        LiveConfig live = new LiveConfig(source, BackendPolicy.LOOPBACK);
        GuardTrip trip = new GuardTrip(NOW, 40, 10, 14, 0.01, 0.03, GreenGuard.THRESHOLD);
        RouterConfig before = live.config();
        assertThat(live.trip("run-1", trip)).isNotNull();

        // a stale change (merged onto the config before the trip) that gives green traffic again: refused
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> live.replace(before.withWeights(new Weights(50, 50)),
                "stale")).isInstanceOf(GuardTrippedException.class).hasMessageContaining("10 errors in 40 green answers");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> live.replace(before.withGuard(null, null), "disarm"))
                .isInstanceOf(GuardTrippedException.class);
        // the rollback (all to blue, guard disarmed) and a new backend go through, the trip stays on record
        live.replace(before.withWeights(Weights.allTo(Slot.A)).withGuard(null, null), "rollback");
        assertThat(live.config().trip()).isEqualTo(trip);
        assertThat(live.config().guard().rollout()).isEqualTo("run-1");
        // the next rollout arms its own guard: its split goes through and the old trip is gone
        live.replace(guarded("run-2", AT_ONE_PERCENT), "next rollout");
        assertThat(live.config().weights()).isEqualTo(new Weights(75, 25));
        assertThat(live.config().trip()).isNull();
    }
}
