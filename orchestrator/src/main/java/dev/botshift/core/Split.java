package dev.botshift.core;

/**
 * How traffic is shared between the two versions, in whole percent, always summing to 100: blue is the version
 * serving before the rollout, green the new one. This is what people read ("traffic blue 90% / green 10%"); a router
 * is given the same split as {@link Weights} of the slots the two versions run in ({@link #inSlots}).
 */
public record Split(int blue, int green) {
    public Split {
        if (blue < 0 || green < 0 || blue + green != 100) {
            throw new IllegalArgumentException("a split must be >= 0 and sum to 100, got blue=" + blue + " green=" + green);
        }
    }

    public static Split allToBlue() {
        return new Split(100, 0);
    }

    public static Split allToGreen() {
        return new Split(0, 100);
    }

    /** {@code percent} to green, the rest to blue. */
    public static Split green(int percent) {
        return new Split(100 - percent, percent);
    }

    /** The router's weights for this split, green running in {@code greenSlot} and blue in the other one. */
    public Weights inSlots(Slot greenSlot) {
        return greenSlot == Slot.B ? new Weights(blue, green) : new Weights(green, blue);
    }

    /** The split that a router's {@code weights} mean, green running in {@code greenSlot}. */
    public static Split of(Weights weights, Slot greenSlot) {
        return new Split(weights.of(greenSlot.other()), weights.of(greenSlot));
    }

    @Override
    public String toString() {
        return "blue " + blue + "% / green " + green + "%";
    }
}
