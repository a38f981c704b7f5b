package dev.botshift.analysis;

/**
 * A numerator and a denominator counter, cumulative or over a window.
 *
 * @param numerator   e.g. handler failures
 * @param denominator e.g. updates handled: the sample size of the ratio
 */
public record Ratio(double numerator, double denominator) {

    /** The window since an earlier reading; null when a counter went down (an instance restarted): no window. */
    public Ratio since(Ratio earlier) {
        if (numerator < earlier.numerator || denominator < earlier.denominator) {
            return null;
        }
        return new Ratio(numerator - earlier.numerator, denominator - earlier.denominator);
    }

    /** numerator ÷ denominator; NaN without a denominator. */
    public double value() {
        return denominator == 0 ? Double.NaN : numerator / denominator;
    }

    /** Whether it is a share (each numerator event is also a denominator event), so a binomial bound applies. */
    boolean proportion() {
        return numerator >= 0 && numerator <= denominator;
    }
}
