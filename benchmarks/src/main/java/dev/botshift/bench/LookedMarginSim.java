package dev.botshift.bench;

import dev.botshift.analysis.Counts;
import dev.botshift.analysis.JudgeSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Part 11, a simulation: the false alarms of the judge's sums walked through the looks into each interval (the local
 * platform's live metrics, {@code Judge.judgeLooked} with its margin by the looks' size) against the same sums read
 * once an interval (Prometheus), on the same healthy traffic, at several rates. The margin is meant to hold the first
 * to the second at every rate: this part shows whether it does.
 */
final class LookedMarginSim {
    static final double BASELINE = 0.01;
    static final int LOOKS = 10;
    /** bench.yaml's limits: maxErrorRate 5 %, maxIncreaseOverBaseline 2 %, minRequests 5. */
    static final JudgeSettings SETTINGS = new JudgeSettings(0.05, 0.02, 5);

    record Row(int greenPerInterval, double readOnce, double walked) {
        double ratio() {
            return readOnce == 0 ? Double.NaN : walked / readOnce;
        }
    }

    private final int runs;
    private final int intervals;

    LookedMarginSim(int runs, int intervals) {
        this.runs = runs;
        this.intervals = intervals;
    }

    List<Row> run(int... greenPerInterval) {
        List<Row> rows = new ArrayList<>();
        for (int n : greenPerInterval) {
            rows.add(new Row(n, falseAlarms(n, false), falseAlarms(n, true)));
        }
        return rows;
    }

    /** The share of healthy rollouts (blue three times green's traffic, both at 1 % errors) that roll back. */
    private double falseAlarms(int n, boolean looked) {
        int alarms = 0;
        for (int run = 0; run < runs; run++) {
            // one stream per rollout: both ways see the same traffic, whatever the other consumed
            SplittableRandom random = new SplittableRandom(1_000_003L * n + run);
            DetectionSim.Detector judge = DetectionSim.botshift(SETTINGS, looked).get();
            if (rollsBack(judge, n, looked, random)) {
                alarms++;
            }
        }
        return (double) alarms / runs;
    }

    private boolean rollsBack(DetectionSim.Detector judge, int n, boolean looked, SplittableRandom random) {
        for (int i = 0; i < intervals; i++) {
            long gReq = 0;
            long gErr = 0;
            long bReq = 0;
            long bErr = 0;
            for (int k = 1; k <= LOOKS; k++) {
                int gn = (int) ((long) n * k / LOOKS - (long) n * (k - 1) / LOOKS);
                int bn = (int) (3L * n * k / LOOKS - 3L * n * (k - 1) / LOOKS);
                gReq += gn;
                gErr += binomial(gn, BASELINE, random);
                bReq += bn;
                bErr += binomial(bn, BASELINE, random);
                // the runner's looks: every tenth of the interval but the last, which is the tick's
                if (looked && k < LOOKS && judge.decidesEarly(new Counts(bReq, bErr), new Counts(gReq, gErr))) {
                    return true;
                }
            }
            if (judge.fails(new Counts(bReq, bErr), new Counts(gReq, gErr))) {
                return true;
            }
        }
        return false;
    }

    /** Successes in {@code n} trials at {@code p}, by the gaps between them (a few draws where p is small). */
    private static long binomial(int n, double p, SplittableRandom random) {
        long k = 0;
        double lq = Math.log(1 - p);
        long at = -1;
        while (true) {
            at += 1 + (long) Math.floor(Math.log(1 - random.nextDouble()) / lq);
            if (at >= n) {
                return k;
            }
            k++;
        }
    }
}
