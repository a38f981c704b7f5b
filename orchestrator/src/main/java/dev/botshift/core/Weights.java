package dev.botshift.core;

/**
 * A router's weights for the two slots, in whole percent; always sums to 100. Slots are where versions run, not which
 * version is which: what people read is the {@link Split} between blue and green.
 */
public record Weights(int blue, int green) {
    public Weights {
        if (blue < 0 || green < 0 || blue + green != 100) {
            throw new IllegalArgumentException("weights must be >= 0 and sum to 100, got blue=" + blue + " green=" + green);
        }
    }

    /** All traffic to {@code colour}. */
    public static Weights allTo(Colour colour) {
        return colour == Colour.BLUE ? new Weights(100, 0) : new Weights(0, 100);
    }

    /** {@code percent} to {@code candidate}, the rest to the other colour. */
    public static Weights canary(Colour candidate, int percent) {
        return candidate == Colour.GREEN ? new Weights(100 - percent, percent) : new Weights(percent, 100 - percent);
    }

    public int of(Colour colour) {
        return colour == Colour.BLUE ? blue : green;
    }

    @Override
    public String toString() {
        return "blue " + blue + "% / green " + green + "%";
    }
}
