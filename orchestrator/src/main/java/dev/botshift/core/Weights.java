package dev.botshift.core;

/**
 * A router's weights for the two slots, in whole percent; always sums to 100. Slots are where versions run, not which
 * version is which: what people read is the {@link Split} between blue and green.
 *
 * @param a the share of slot {@link Slot#A}
 * @param b the share of slot {@link Slot#B}
 */
public record Weights(int a, int b) {
    public Weights {
        if (a < 0 || b < 0 || a + b != 100) {
            throw new IllegalArgumentException("weights must be >= 0 and sum to 100, got a=" + a + " b=" + b);
        }
    }

    /** All traffic to {@code slot}. */
    public static Weights allTo(Slot slot) {
        return slot == Slot.A ? new Weights(100, 0) : new Weights(0, 100);
    }

    /** {@code percent} to {@code slot}, the rest to the other one. */
    public static Weights canary(Slot slot, int percent) {
        return slot == Slot.B ? new Weights(100 - percent, percent) : new Weights(percent, 100 - percent);
    }

    public int of(Slot slot) {
        return slot == Slot.A ? a : b;
    }

    @Override
    public String toString() {
        return "a " + a + "% / b " + b + "%";
    }
}
